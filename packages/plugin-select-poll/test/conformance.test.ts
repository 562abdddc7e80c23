import { runServerConformance } from '@iobench/core/testing';
import { pollServer, selectServer } from '../src/index.js';

runServerConformance(selectServer, { fdLimit: 1024 });
runServerConformance(pollServer);
