// index.mjs: a server plugin whose I/O model is node:net (libuv's epoll loop, one thread); HTTP comes
// from @iobench/serving, as in every iobench server, so that servers differ only in their I/O model.
import net from 'node:net';
import { defineServerPlugin } from '@iobench/core';
import {
  commonServerOptions,
  FRAME_ERROR_CLASS,
  performWork,
  RequestFramer,
  Responder,
  serverUrl,
} from '@iobench/serving';
import { z } from 'zod';

// node:net cannot bind to a device: take every common option but bindDevice.
const { host, port, backlog, bodySize, work, keepAlive, headerTimeoutMs, idleTimeoutMs } = commonServerOptions;

export default defineServerPlugin({
  name: 'net-hello',
  description: 'Example third-party server: node:net sockets on the main thread',
  // Defaults live only in the schema; strictObject makes a misspelt option an error.
  options: z.strictObject({
    ...{ host, port, backlog, bodySize, work, keepAlive, headerTimeoutMs, idleTimeoutMs },
    noDelay: z.boolean().default(true).describe('send each answer at once (TCP_NODELAY)'),
  }),
  // The options every iobench server shares that this one takes: --body-size and --work sweeps and
  // `iobench serve --host/--port` set them; on a server that does not declare one, they are refused.
  commonOptions: ['host', 'port', 'bodySize', 'work', 'keepAlive'],
  // Runs in a server host process of its own; it must not block that process's main thread.
  async start(ctx, options) {
    const responder = new Responder(options);
    const counts = { accepted: 0, refused: 0, requests: 0 };
    const errors = new Map();
    const count = (/** @type {string} */ kind) => errors.set(kind, (errors.get(kind) ?? 0) + 1);
    const sockets = new Set();

    const server = net.createServer({ noDelay: options.noDelay }, (socket) => {
      counts.accepted++;
      sockets.add(socket);
      const framer = new RequestFramer();
      // A request head must be complete headerTimeoutMs after the accept, or after its first byte.
      /** @type {NodeJS.Timeout | undefined} */
      let headTimer;
      const watchHead = () => {
        if (headTimer === undefined && options.headerTimeoutMs > 0) {
          headTimer = setTimeout(() => {
            count('headerTimeout');
            socket.end(responder.error({ status: 408, reason: 'request head not complete in time' }));
          }, options.headerTimeoutMs);
        }
      };
      watchHead();
      socket.setTimeout(options.idleTimeoutMs, () => {
        count('idleTimeout');
        socket.destroy();
      });
      socket.on('data', (chunk) => {
        if (socket.writableEnded) return; // answered and closing: the rest is not read
        const framed = framer.framed;
        framer.push(chunk);
        for (let request = framer.next(); request; request = framer.next()) {
          performWork(options.work);
          counts.requests++;
          socket.write(responder.respond(request));
          if (responder.closesAfter(request)) return socket.end();
        }
        if (framer.error) {
          count(FRAME_ERROR_CLASS[framer.error.status]);
          return socket.end(responder.error(framer.error));
        }
        // A head completed: the next one's clock starts at its first byte.
        if (framer.framed !== framed || !framer.inHead) {
          clearTimeout(headTimer);
          headTimer = undefined;
        }
        if (framer.inHead) watchHead();
      });
      socket.on('error', (/** @type {NodeJS.ErrnoException} */ error) => {
        count(error.code === 'ECONNRESET' || error.code === 'EPIPE' ? 'reset' : 'socket');
      });
      socket.on('close', () => {
        clearTimeout(headTimer);
        sockets.delete(socket);
      });
    });

    server.listen({ host: options.host, port: options.port, backlog: options.backlog });
    await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
    const url = serverUrl(options.host, /** @type {net.AddressInfo} */ (server.address()).port);
    ctx.log('listening at %s', url);
    /** @type {Promise<void> | undefined} */
    let stopped;
    return {
      url,
      // A copy: counters as they are now.
      stats: () => ({ ...counts, errors: Object.fromEntries(errors) }),
      stop() {
        stopped ??= new Promise((resolve) => {
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy();
        });
        return stopped;
      },
    };
  },
});
