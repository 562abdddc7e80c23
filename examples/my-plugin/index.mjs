// A minimal third-party iobench plugin: an HTTP server on node:net that answers every request with
// a fixed greeting. It is loaded by path from examples/.iobenchrc (`plugins: [./my-plugin/index.mjs]`).
// A published plugin would be a package named iobench-plugin-<name> depending on @iobench/core and zod.
import { once } from 'node:events';
import net from 'node:net';
import { defineServerPlugin } from '@iobench/core';
import { z } from 'zod';

export default defineServerPlugin({
  name: 'net-hello',
  description: 'Example third-party server: node:net, fixed keep-alive answer',
  // Defaults live only in the schema; iobench validates options with it before anything starts.
  options: z.strictObject({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(0),
    greeting: z.string().min(1).default('Hello, world!'),
  }),
  // Of the options every iobench server shares, this one takes host and port (`iobench serve
  // --host/--port` set them); --body-size or --work on it is refused before anything starts.
  commonOptions: ['host', 'port'],
  // start() runs in a server host process of its own; it must not block that process's main thread.
  async start(ctx, options) {
    const body = Buffer.from(options.greeting);
    const response = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
    const stats = { accepted: 0, refused: 0, requests: 0, errors: {} };
    const sockets = new Set();
    const server = net.createServer((socket) => {
      stats.accepted++;
      sockets.add(socket);
      let pending = '';
      socket.on('data', (chunk) => {
        pending += chunk.toString('latin1');
        // One answer per complete request head (GET requests have no body).
        let end = pending.indexOf('\r\n\r\n');
        while (end !== -1) {
          stats.requests++;
          socket.write(response);
          pending = pending.slice(end + 4);
          end = pending.indexOf('\r\n\r\n');
        }
      });
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    });
    server.listen(options.port, options.host);
    await once(server, 'listening');
    const { port } = server.address();
    ctx.log('listening on %s:%d', options.host, port);
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    return {
      url: `http://${host}:${port}/`,
      stats: () => stats,
      async stop() {
        for (const s of sockets) s.destroy();
        await new Promise((resolve) => server.close(() => resolve()));
      },
    };
  },
});
