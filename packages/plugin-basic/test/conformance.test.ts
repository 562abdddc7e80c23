import { runServerConformance } from '@iobench/core/testing';
import { basicServer } from '../src/index.js';

const ITERATIVE = 'basic serves one connection at a time: an idle client holds the only thread (see README)';

// Default: one request per connection, like the original experiment.
runServerConformance(basicServer, { skip: { idleHalfSent: ITERATIVE } });
runServerConformance(basicServer, { serverOptions: { keepAlive: true }, skip: { idleHalfSent: ITERATIVE } });
