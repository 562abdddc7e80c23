import { startServerPlugin } from '@iobench/core/testing';
import { epollPoolServer } from '../src/epoll-pool.js';
import plugins from '../src/index.js';
const name = process.argv[2] ?? 'epoll-pool';
const opts = JSON.parse(process.argv[3] ?? '{}');
const plugin = name === 'epoll-pool' ? epollPoolServer : plugins.find((p) => p.name === name)!;
const s = await startServerPlugin(plugin as any, { port: 8099, ...opts });
console.log('ready', s.handle.url);
process.on('SIGTERM', async () => { console.log(JSON.stringify(await s.handle.stats())); await s.handle.stop(); console.log('stopped'); });
