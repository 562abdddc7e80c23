/** The options of the `native` load generator: its schema (the only home of the defaults) and the type it parses to. */
import { requestOptionsShape } from '@iobench/load-kit';
import { z } from 'zod';

export const nativeOptionsSchema = z.strictObject(requestOptionsShape);

export type NativeOptions = z.output<typeof nativeOptionsSchema>;
