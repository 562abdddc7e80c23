/** The `json` reporter: prints the whole results document to stdout at the end (for `--json`). */

import { defineReporterPlugin } from '@iobench/core';
import { z } from 'zod';

export const jsonReporter = defineReporterPlugin({
  name: 'json',
  description: 'Prints the results document as JSON on stdout when the run ends',
  options: z.strictObject({
    pretty: z.boolean().default(true).describe('Indent the JSON'),
  }),
  create(ctx, options) {
    return {
      onRunEnd(results) {
        ctx.stdout.write(`${JSON.stringify(results, null, options.pretty ? 2 : 0)}\n`);
      },
    };
  },
});
