import { describeServerBehaviour } from '../../server-kit/test/support/server-behaviour.js';
import { epollServer } from '../src/index.js';

describeServerBehaviour(epollServer, {});
describeServerBehaviour(epollServer, { edgeTriggered: true });
