import { runHostileConformance } from '@iobench/core/testing';
import plugin from '../src/index.js';

runHostileConformance(plugin);
