/** The options of the `undici` load generator: its schema (the only home of the defaults) and the type it parses to. */
import { generatorOptionsShape } from '@iobench/load-kit';
import { z } from 'zod';

export const undiciOptionsSchema = z.strictObject({
  ...generatorOptionsShape,
});

export type UndiciOptions = z.output<typeof undiciOptionsSchema>;
