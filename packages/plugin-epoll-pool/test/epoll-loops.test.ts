import { runServerConformance } from '@iobench/core/testing';
import { describeLoops } from '../../server-kit/test/support/loops.js';
import { epollServer } from '../src/index.js';

runServerConformance(epollServer, { serverOptions: { loops: 2 } });
describeLoops(epollServer);
describeLoops(epollServer, { edgeTriggered: true });
