#!/usr/bin/env node
// Writes packages/core/iobench.schema.json (the JSON Schema of .iobenchrc, generated from the zod
// config schema, with the built-in servers and load as defaults) so editors can complete and check
// config files. Runs after the TypeScript build.
import { writeFileSync } from 'node:fs';
import { DEFAULT_PLAN } from '@iobench/builtins';
import { configJsonSchema } from '@iobench/core/config';

const target = new URL('../packages/core/iobench.schema.json', import.meta.url);
writeFileSync(
  target,
  `${JSON.stringify({ title: 'iobench configuration (.iobenchrc)', ...configJsonSchema(DEFAULT_PLAN) }, null, 2)}\n`,
);
