import { readdirSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { ConfigInput } from '@iobench/engine/config';
import { type Config, createConfigSchema } from '@iobench/engine/config';
import { PluginRegistry } from '@iobench/engine/plugin';

export const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

/** Core's tests run the fixture plugins by default. */
const configSchema = createConfigSchema({ server: ['fixture-server'], load: 'fixture-load' });

export function testConfig(input: ConfigInput): Config {
  return configSchema.parse({ reporter: [], warmup: 0, duration: '400ms', connections: 2, ...input });
}

export async function fixtureRegistry(): Promise<PluginRegistry> {
  const stdout = import.meta.resolve('@iobench/plugin-reporters/stdout');
  const registry = new PluginRegistry(FIXTURES).register('console', stdout).register('json', stdout);
  await registry.addModules(['./test-plugins.ts']);
  return registry;
}

export { testTempDir as tempDir } from '@iobench/core/testing';

/** A writable that keeps what was written, for reporter output. */
export function captureStream(): { stream: NodeJS.WritableStream; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Pids of this process's live children (from /proc), e.g. server hosts left behind. */
export function childPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state, ppid, ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid && fields[0] !== 'Z') pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}
