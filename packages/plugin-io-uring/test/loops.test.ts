import { runServerConformance } from '@iobench/core/testing';
import { describeLoops } from '../../server-kit/test/support/loops.js';
import { ioUringServer } from '../src/index.js';

runServerConformance(ioUringServer, { serverOptions: { loops: 2 } });
describeLoops(ioUringServer);
