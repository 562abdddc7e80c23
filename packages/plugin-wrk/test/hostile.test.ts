import { requireTool, runHostileConformance } from '@iobench/core/testing';
import plugin from '../src/index.js';

// Where wrk's own counters cannot tell a kind apart, the kit's `hostileDeviations.wrk` says what it
// counts instead and why (see also README.md, "Hostile targets").
runHostileConformance(plugin, { unavailable: requireTool('wrk') });
