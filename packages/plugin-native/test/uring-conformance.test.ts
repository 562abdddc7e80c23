import { runHostileConformance, runLoadConformance } from '@iobench/core/testing';
import plugin from '../src/index.js';
import { uringEngineUnavailable } from '../src/uring-setup.js';

// The conformance and hostile-server kits again, on the io_uring engine (engine=io_uring).
const missing = uringEngineUnavailable();
const unavailable = missing && `engine=io_uring cannot run here: ${missing.reason}`;
runLoadConformance(plugin, { options: { engine: 'io_uring' }, unavailable });
runHostileConformance(plugin, { options: { engine: 'io_uring' }, unavailable });
