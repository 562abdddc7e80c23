// conformance.test.mjs: the checks every iobench server passes (`node --test`)
import { runServerConformance } from '@iobench/core/testing';
import plugin from './index.mjs';

runServerConformance(plugin);
