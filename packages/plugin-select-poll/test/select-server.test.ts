import { describeServerBehaviour } from '../../server-kit/test/support/server-behaviour.js';
import { selectServer } from '../src/index.js';

describeServerBehaviour(selectServer, {}, { refusesFdsAboveSetSize: true });
