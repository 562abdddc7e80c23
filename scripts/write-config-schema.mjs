#!/usr/bin/env node
// Writes packages/engine/iobench.schema.json (the JSON Schema of .iobenchrc, generated from the zod
// config schema, with the built-in servers and load as defaults) so editors can complete and check
// config files. Runs after the TypeScript build. Every built-in plugin's options schema fills in
// `serverOptions.<name>`, `loadOptions.<name>` and `reporterOptions.<name>`; other names stay
// free-form (third-party plugins validate their own).
// A built-in that refuses to load on this machine (io-uring where a kernel, sysctl or a container's
// seccomp filter hides io_uring) is described by its package's `./schema` export instead, so that the
// schema is the same wherever it is built; a built-in with neither fails the build.
// Usage: node scripts/write-config-schema.mjs [output-file]
import { writeFileSync } from 'node:fs';
import { BUILTIN_PLUGINS, createRegistry, DEFAULT_PLAN } from '@iobench/builtins';
import { configJsonSchema } from '@iobench/engine/config';

const target = process.argv[2] ?? new URL('../packages/engine/iobench.schema.json', import.meta.url).pathname;

const schema = { title: 'iobench configuration (.iobenchrc)', ...configJsonSchema(DEFAULT_PLAN) };
const registry = createRegistry();
const described = (await registry.available()).map((p) => p.plugin);
for (const { name, error } of registry.unavailable()) {
  const pkg = BUILTIN_PLUGINS[name].module.split('/').slice(0, 2).join('/');
  const schemas = await import(`${pkg}/schema`).then(
    (m) => m.schemas,
    () => [],
  );
  const plugin = schemas.find((p) => p.name === name);
  if (plugin) described.push(plugin);
  else {
    console.error(`write-config-schema: built-in plugin "${name}" left out: ${error.message}`);
    process.exitCode = 1;
  }
}
// In registration order, whichever loaded.
const order = Object.keys(BUILTIN_PLUGINS);
described.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
for (const plugin of described) {
  // Standard Schema libraries other than zod have no JSON Schema to give.
  if (typeof plugin.options.toJSONSchema !== 'function') continue;
  const { $schema: _, ...options } = plugin.options.toJSONSchema({ io: 'input', unrepresentable: 'any' });
  const byName = schema.properties[`${plugin.kind}Options`];
  byName.properties = { ...byName.properties, [plugin.name]: { description: plugin.description, ...options } };
}
writeFileSync(target, `${JSON.stringify(schema, null, 2)}\n`);
