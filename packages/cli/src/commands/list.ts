import { createRegistry } from '@iobench/builtins';
import { renderTable } from '@iobench/core/reporters';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../base-command.js';
import { describeOptions } from '../describe-options.js';

export default class List extends BaseCommand {
  static override summary = 'List the plugins iobench can use, with their options and defaults';

  static override description =
    `Shows built-in plugins and those listed under "plugins" in .iobenchrc. Options and defaults come from each plugin's own schema; set them with --server-opt / --load-opt or serverOptions / loadOptions in .iobenchrc.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --kind server',
    '<%= config.bin %> <%= command.id %> --json',
  ];

  static override flags = {
    config: Flags.string({ char: 'c', description: 'Config file to use instead of searching for .iobenchrc' }),
    kind: Flags.string({ description: 'Only plugins of this kind', options: ['server', 'load', 'reporter'] }),
    json: Flags.boolean({ description: 'Print the list as JSON' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(List);
    const loaded = await this.loadConfig({ configPath: flags.config });
    const registry = createRegistry(loaded.baseDir);
    await registry.addModules(loaded.config.plugins);
    const kinds = ['server', 'load', 'reporter'] as const;
    const plugins = (await registry.available(flags.kind as (typeof kinds)[number] | undefined)).sort(
      (a, b) =>
        kinds.indexOf(a.plugin.kind) - kinds.indexOf(b.plugin.kind) || a.plugin.name.localeCompare(b.plugin.name),
    );
    const described = plugins.map(({ plugin, moduleUrl }) => ({
      kind: plugin.kind,
      name: plugin.name,
      description: plugin.description,
      module: moduleUrl,
      options: describeOptions(plugin),
    }));
    const broken = registry.unavailable();
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(described, null, 2)}\n`);
      return;
    }
    for (const { name, error } of broken) {
      process.stderr.write(`iobench: built-in plugin "${name}" is unavailable: ${error.message}\n`);
    }
    for (const kind of kinds) {
      const group = described.filter((d) => d.kind === kind);
      if (group.length === 0) continue;
      process.stdout.write(`\n${kind.toUpperCase()} PLUGINS\n`);
      for (const p of group) {
        process.stdout.write(`\n  ${p.name} — ${p.description}\n`);
        if (!p.options) {
          process.stdout.write('    (options schema is not zod; see the plugin’s documentation)\n');
        } else if (p.options.length === 0) {
          process.stdout.write('    no options\n');
        } else {
          const rows = p.options.map((o) => [
            o.name,
            o.type,
            o.default === undefined ? '' : JSON.stringify(o.default),
            o.description ?? '',
          ]);
          process.stdout.write(`${indent(renderTable(['option', 'type', 'default', 'description'], rows), '    ')}\n`);
        }
      }
    }
  }
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}
