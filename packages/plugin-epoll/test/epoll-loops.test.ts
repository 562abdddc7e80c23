import { runServerConformance } from '@iobench/core/testing';
import { describeLoops } from '@iobench/server-kit/testing';
import { epollServer } from '../src/index.js';

runServerConformance(epollServer, { serverOptions: { loops: 2 } });
describeLoops(epollServer);
describeLoops(epollServer, { edgeTriggered: true });
