import { runServerConformance } from '@iobench/core/testing';
import { describeLoops } from '@iobench/server-kit/testing';
import { ioUringServer } from '../src/index.js';

runServerConformance(ioUringServer, { serverOptions: { loops: 2 } });
describeLoops(ioUringServer);
