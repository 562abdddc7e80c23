/**
 * The child side of `startChildServer`: starts one server plugin in this process and reports on
 * stdout. Run as `node serve-plugin.js <module-url> <server-name> [options-json]`. Prints
 * `{"url": ..., "pid": ...}` once serving; on SIGTERM or SIGINT stops and prints `{"stats": ...}`.
 */
import type { ServerPlugin } from '../plugin/contract.js';
import { startServerPlugin } from './start-server.js';

const [moduleUrl, name, json = '{}'] = process.argv.slice(2);
if (moduleUrl === undefined || name === undefined) {
  throw new Error('usage: serve-plugin <module-url> <server-name> [options-json]');
}
const exported = ((await import(moduleUrl)) as { default: ServerPlugin | ServerPlugin[] }).default;
const plugins = Array.isArray(exported) ? exported : [exported];
const plugin = plugins.find((p) => p.name === name);
if (plugin === undefined) {
  throw new Error(
    `${moduleUrl} has no server plugin named "${name}" (it has ${plugins.map((p) => p.name).join(', ')})`,
  );
}
const { handle } = await startServerPlugin(plugin, JSON.parse(json));
process.stdout.write(`${JSON.stringify({ url: handle.url, pid: process.pid })}\n`);

const finish = async () => {
  const stats = await handle.stats();
  await handle.stop();
  process.stdout.write(`${JSON.stringify({ stats })}\n`);
  process.exit(0);
};
process.once('SIGTERM', finish);
process.once('SIGINT', finish);
