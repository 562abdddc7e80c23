import { runServerConformance } from '@iobench/core/testing';
import { epollThreadServer } from '../src/index.js';

runServerConformance(epollThreadServer);
// A short blocking handler keeps threads alive across epoll rounds, and a bound of 4 threads makes the
// many-connections check go through the waiting queue.
runServerConformance(epollThreadServer, { serverOptions: { work: 'wait:200', maxThreads: 4 } });
