#!/usr/bin/env node
// Writes packages/engine/iobench.schema.json (the JSON Schema of .iobenchrc, generated from the zod
// config schema, with the built-in servers and load as defaults) so editors can complete and check
// config files. Runs after the TypeScript build. Every built-in plugin's options schema fills in
// `serverOptions.<name>`, `loadOptions.<name>` and `reporterOptions.<name>`; other names stay
// free-form (third-party plugins validate their own).
// Usage: node scripts/write-config-schema.mjs [output-file]
import { writeFileSync } from 'node:fs';
import { createRegistry, DEFAULT_PLAN } from '@iobench/builtins';
import { configJsonSchema } from '@iobench/engine/config';

const target = process.argv[2] ?? new URL('../packages/engine/iobench.schema.json', import.meta.url).pathname;

const schema = { title: 'iobench configuration (.iobenchrc)', ...configJsonSchema(DEFAULT_PLAN) };
const registry = createRegistry();
for (const { plugin } of await registry.available()) {
  // Standard Schema libraries other than zod have no JSON Schema to give.
  if (typeof plugin.options.toJSONSchema !== 'function') continue;
  const { $schema: _, ...options } = plugin.options.toJSONSchema({ io: 'input', unrepresentable: 'any' });
  const byName = schema.properties[`${plugin.kind}Options`];
  byName.properties = { ...byName.properties, [plugin.name]: { description: plugin.description, ...options } };
}
for (const { name, error } of registry.unavailable()) {
  console.error(`write-config-schema: built-in plugin "${name}" left out: ${error.message}`);
  process.exitCode = 1;
}
writeFileSync(target, `${JSON.stringify(schema, null, 2)}\n`);
