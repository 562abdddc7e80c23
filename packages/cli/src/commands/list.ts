import { createRegistry } from '@iobench/builtins';
import { renderTable } from '@iobench/core';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../base-command.js';
import { describeOptions } from '../describe-options.js';
import { hangingWrap, outputWidth, wrapText } from '../wrap.js';

export default class List extends BaseCommand {
  static override summary = 'List the plugins iobench can use, with their options and defaults';

  static override description =
    `Shows built-in plugins and those listed under "plugins" in .iobenchrc. Options and defaults come from each plugin's own schema; set them with --server-opt / --load-opt or serverOptions / loadOptions in .iobenchrc.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --kind server',
    '<%= config.bin %> <%= command.id %> --json',
    '<%= config.bin %> <%= command.id %> --wide',
  ];

  static override flags = {
    config: Flags.string({ description: 'Config file to use instead of searching for .iobenchrc' }),
    kind: Flags.string({ description: 'Only plugins of this kind', options: ['server', 'load', 'reporter'] }),
    json: Flags.boolean({ description: 'Print the list as JSON' }),
    wide: Flags.boolean({
      description: 'One line per option, however wide (by default lines wrap to the terminal, or 80 columns)',
    }),
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
    const width = flags.wide ? Number.POSITIVE_INFINITY : outputWidth(process.stdout);
    for (const kind of kinds) {
      const group = described.filter((d) => d.kind === kind);
      if (group.length === 0) continue;
      process.stdout.write(`\n${kind.toUpperCase()} PLUGINS\n`);
      for (const p of group) {
        const headline = `  ${p.name} — `;
        process.stdout.write(`\n${hangingWrap(headline, p.description, width, headline.length).join('\n')}\n`);
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
          process.stdout.write(`${optionsTable(rows, width).join('\n')}\n`);
        }
      }
    }
  }
}

/** Descriptions narrower than this go on lines of their own, under their option. */
const MIN_DESCRIPTION_WIDTH = 30;
const INDENT = '    ';

/**
 * The option table of one plugin within `width`: descriptions wrap inside their column, or, when
 * the other columns leave too little room, on indented lines under their option.
 */
function optionsTable(rows: string[][], width: number): string[] {
  const header = ['option', 'type', 'default'];
  const fixed = renderTable(
    header,
    rows.map((r) => r.slice(0, 3)),
  ).split('\n');
  // The rule line has every column at full width (rows are trimmed at the end).
  const room = width - INDENT.length - (fixed[1]?.length ?? 0) - 2;
  if (room >= MIN_DESCRIPTION_WIDTH || width === Number.POSITIVE_INFINITY) {
    const wrapped = rows.flatMap(([name = '', type = '', fallback = '', description = '']) =>
      wrapText(description, Number.isFinite(room) ? room : Number.MAX_SAFE_INTEGER).map((line, i) =>
        i === 0 ? [name, type, fallback, line] : ['', '', '', line],
      ),
    );
    return renderTable([...header, 'description'], wrapped)
      .split('\n')
      .map((line) => INDENT + line);
  }
  const [head = '', rule = '', ...lines] = fixed;
  return [
    INDENT + head,
    INDENT + rule,
    ...lines.flatMap((line, i) => [
      INDENT + line,
      ...wrapText(rows[i]?.[3] ?? '', width - INDENT.length - 2).map((l) => `${INDENT}  ${l}`),
    ]),
  ];
}
