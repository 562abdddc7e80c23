import { describeServerBehaviour } from '../../server-kit/test/support/server-behaviour.js';
import { pollServer } from '../src/index.js';

describeServerBehaviour(pollServer, {});
