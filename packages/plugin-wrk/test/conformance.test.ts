import { requireTool, runLoadConformance } from '@iobench/core/testing';
import plugin from '../src/index.js';

// wrk's own counters set what it can report: it folds resets and unparsable responses into read
// errors, counts a timeout only for a response that arrives late (a request never answered is not
// counted), and exits at start when it cannot connect (the plugin turns that into an error).
runLoadConformance(plugin, {
  unavailable: requireTool('wrk'),
  openModel: false,
  reportsAs: { reset: 'read', parse: 'read' },
  skip: {
    refused: 'wrk exits at start when it cannot connect; wrk.test.ts checks the error the plugin raises',
    timeout: 'wrk 4 counts a timeout only for a response that arrives after it, never for a request left unanswered',
  },
});
