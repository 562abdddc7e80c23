import { runServerConformance } from '@iobench/core/testing';
import plugin from '../src/index.js';

runServerConformance(plugin);
