import { runServerConformance } from '@iobench/core/testing';
import { epollServer } from '../src/index.js';

runServerConformance(epollServer);
runServerConformance(epollServer, { serverOptions: { edgeTriggered: true } });
