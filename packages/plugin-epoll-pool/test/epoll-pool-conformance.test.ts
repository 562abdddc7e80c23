import { runServerConformance } from '@iobench/core/testing';
import { epollPoolServer } from '../src/index.js';

// Two pool threads instead of the default ten: the checks are about HTTP and lifecycle, and from
// TypeScript sources every pool thread loads tsx (about a second of CPU each on a busy 2-core machine),
// which the stop check pays again for its second server. The default is exercised in
// epoll-pool-server.test.ts. Handler work keeps the pool's batching path (several tasks per round) busy.
runServerConformance(epollPoolServer, { serverOptions: { threads: 2, work: 'wait:50' } });
