import { runServerConformance } from '@iobench/core/testing';
import { ioUringServer } from '../src/index.js';

runServerConformance(ioUringServer);
// The fallbacks of kernels before 6.0 / 5.19, forced: single-shot accept and recv, own buffers.
runServerConformance(ioUringServer, { serverOptions: { multishot: false } });
runServerConformance(ioUringServer, { serverOptions: { multishot: false, providedBuffers: false } });
