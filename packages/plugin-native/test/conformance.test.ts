import { runLoadConformance } from '@iobench/core/testing';
import plugin from '../src/index.js';

runLoadConformance(plugin);
