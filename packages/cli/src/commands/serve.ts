import { builtinNames, createRegistry } from '@iobench/builtins';
import { type CommonOptionSetting, ConfigError, validatePluginOptions, withCommonOptions } from '@iobench/core';
import { ServerProcess } from '@iobench/engine/run';
import { pinProcess } from '@iobench/placement';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../base-command.js';
import { parseKeyValues } from '../flags.js';

export default class Serve extends BaseCommand {
  static override summary = 'Run one server plugin standalone until Ctrl-C (e.g. for load from another host)';

  static override description =
    `Starts the server in its own host process exactly as \`iobench run\` does, prints its URL, and serves until interrupted. Options come from .iobenchrc (serverOptions.<name>) and --server-opt.`;

  static override examples = [
    {
      description: 'Serve the select server on port 8080',
      command: '<%= config.bin %> <%= command.id %> --server select --port 8080',
    },
    {
      description: 'Serve on IPv6 loopback with 1 ms of blocking work per request',
      command: '<%= config.bin %> <%= command.id %> --server epoll-pool --host ::1 --server-opt work=wait:1000',
    },
  ];

  static override flags = {
    config: Flags.string({ description: 'Config file to use instead of searching for .iobenchrc' }),
    server: Flags.string({
      char: 's',
      description: `Server plugin to run; built-in: ${builtinNames('server').join(', ')}`,
      required: true,
    }),
    port: Flags.integer({ char: 'p', description: 'Port to listen on (0 picks a free one)', min: 0, max: 65535 }),
    host: Flags.string({ description: 'Address to bind, e.g. 0.0.0.0, ::1 or fe80::1%eth0' }),
    'server-opt': Flags.string({
      description: 'Server option key=value, repeatable',
      multiple: true,
      multipleNonGreedy: true,
    }),
    'server-cpus': Flags.string({ description: 'Pin the server to these CPUs, e.g. 0' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Serve);
    const servers = flags.server.split(',');
    if (servers.length > 1) {
      throw new ConfigError(`serve runs one server; --server "${flags.server}" names ${servers.length}`, {
        suggestions: [
          `Start one \`iobench serve\` per server, each on its own --port, or measure them one after another with \`iobench run --server ${flags.server}\`.`,
        ],
      });
    }
    const loaded = await this.loadConfig({ configPath: flags.config, flags: { serverCpus: flags['server-cpus'] } });
    const registry = createRegistry(loaded.baseDir);
    await registry.addModules(loaded.config.plugins);
    const resolved = await registry.resolve('server', flags.server);
    // --port and --host set common server options: refused on a server that does not declare them.
    const common: CommonOptionSetting[] = [];
    if (flags.port !== undefined) common.push({ option: 'port', value: flags.port, setting: '--port' });
    if (flags.host !== undefined) common.push({ option: 'host', value: flags.host, setting: '--host' });
    const input = withCommonOptions(
      resolved.plugin,
      { ...loaded.config.serverOptions[flags.server], ...parseKeyValues('server-opt', flags['server-opt']) },
      common,
    );
    const options = await validatePluginOptions(resolved.plugin, input);
    const serverCpus = loaded.config.serverCpus;
    const server = await ServerProcess.start({
      moduleUrl: resolved.moduleUrl,
      plugin: resolved.plugin.name,
      options,
      pin: serverCpus ? (pid) => pinProcess(pid, serverCpus) : undefined,
      portSetting: '--port N',
    });
    process.stdout.write(
      `iobench: ${resolved.plugin.name} serving at ${server.url} (pid ${server.pid}); Ctrl-C to stop\n`,
    );
    const stopped = await new Promise<'signal' | 'died'>((resolve) => {
      process.once('SIGINT', () => resolve('signal'));
      process.once('SIGTERM', () => resolve('signal'));
      void server.exited.then(() => resolve('died'));
    });
    if (stopped === 'died') throw server.diedError();
    const snapshot = await server.snapshot().catch(() => undefined);
    await server.stop();
    if (snapshot) {
      const s = snapshot.stats;
      process.stdout.write(
        `\niobench: stopped; served ${s.requests} requests on ${s.accepted} connections (${s.refused} refused)\n`,
      );
    }
    this.exit(130);
  }
}
