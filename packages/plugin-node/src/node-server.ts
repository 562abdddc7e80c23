/**
 * The `node` server: `http.createServer` answering every request with the shared serving module's
 * bytes and handler work, counting connections, requests and errors for `stats()`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ServerContext, ServerHandle, ServerStats } from '@iobench/core';
import {
  FRAME_ERROR_CLASS,
  type FrameError,
  performWork,
  Responder,
  serverUrl,
  timeoutCheckIntervalMs,
} from '@iobench/serving';
import type { NodeServerOptions } from './options.js';
import { requestProblem } from './request-checks.js';

/** The serving module's header limit, so `node` answers 431 where every other server does. */
const MAX_HEADER_BYTES = 8192;
/** How long a connection answered with an error may linger half-closed before it is destroyed. */
const ERROR_LINGER_MS = 1000;

/** Starts the `node` server; resolves once it listens. */
export async function startNodeServer(ctx: ServerContext, options: NodeServerOptions): Promise<ServerHandle> {
  const responder = new Responder({ bodySize: options.bodySize, keepAlive: options.keepAlive });
  const body = Buffer.from(responder.body.buffer, responder.body.byteOffset, responder.body.byteLength);
  const headers = { 'Content-Type': 'text/plain', 'Content-Length': String(body.length) };
  const closingHeaders = { ...headers, Connection: 'close' };
  const counts = { accepted: 0, refused: 0, requests: 0 };
  const errors: Record<string, number> = {};
  const countError = (kind: string) => {
    errors[kind] = (errors[kind] ?? 0) + 1;
  };

  /** Sockets answered with an error: they close once it is sent. */
  const erred = new WeakSet<Socket>();
  const answerError = (req: IncomingMessage, res: ServerResponse, error: FrameError) => {
    erred.add(req.socket);
    countError(FRAME_ERROR_CLASS[error.status]);
    counts.requests++;
    const text = responder.errorBody(error);
    res.writeHead(error.status, {
      'Content-Type': 'text/plain',
      'Content-Length': Buffer.byteLength(text),
      Connection: 'close',
    });
    res.end(text);
    req.resume();
  };
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    if (erred.has(req.socket)) {
      // Pipelined behind an error answer: never answered, as the framer frames nothing after an error.
      req.resume();
      return;
    }
    const problem = requestProblem(req);
    if (problem !== undefined) {
      answerError(req, res, problem);
      return;
    }
    performWork(options.work);
    counts.requests++;
    res.writeHead(200, options.keepAlive ? headers : closingHeaders);
    res.end(body);
    // Bodies are not read by the handler; resume so a request body cannot stall the connection.
    req.resume();
  };

  // The timeouts as the other servers have them: headersTimeout counts from the accept (first request)
  // or a head's first byte, as theirs does; the socket's inactivity timeout (server.timeout) is their
  // idle timeout. Not keepAliveTimeout: Node 20 adds a second to it and advertises it in a Keep-Alive
  // header. requestTimeout (a whole request, body included) has no counterpart. Checks run as often
  // as theirs. Node's own Host check answers with its own bytes; requestProblem checks Host instead.
  const checkMs = timeoutCheckIntervalMs(options);
  const server = createServer(
    {
      maxHeaderSize: MAX_HEADER_BYTES,
      keepAliveTimeout: 0,
      headersTimeout: options.headerTimeoutMs,
      requestTimeout: 0,
      requireHostHeader: false,
      ...(checkMs > 0 ? { connectionsCheckingInterval: checkMs } : {}),
    },
    serve,
  );
  server.timeout = options.idleTimeoutMs;
  server.on('timeout', (socket: Socket) => {
    countError('idleTimeout');
    socket.destroy();
  });
  // The other servers ignore Expect; so does this listener, where Node would answer 417. (Expect:
  // 100-continue keeps Node's 100 Continue: serving it here would close the connection instead.)
  server.on('checkExpectation', serve);
  // Node hands a CONNECT request's socket over as a tunnel: answer it as the others do, then close.
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    counts.requests++;
    socket.on('error', () => {});
    socket.end(responder.respond({ method: 'CONNECT', target: req.url ?? '', version: 11, keepAlive: false }));
  });
  server.on('connection', (socket: Socket) => {
    counts.accepted++;
    socket.setNoDelay(true);
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const frameError = toFrameError(error, options.headerTimeoutMs);
    if (frameError === undefined) {
      countError(error.code === 'ECONNRESET' || error.code === 'EPIPE' ? 'reset' : 'socket');
      socket.destroy();
      return;
    }
    countError(FRAME_ERROR_CLASS[frameError.status]);
    // Answer only when no response is half-written on this socket (pipelined answers may precede).
    const inFlight = (socket as { _httpMessage?: unknown })._httpMessage;
    if (socket.writable && (inFlight === undefined || inFlight === null)) {
      counts.requests++;
      socket.end(responder.error(frameError));
      setTimeout(() => socket.destroy(), ERROR_LINGER_MS).unref();
    } else {
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port, backlog: options.backlog }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After listening, accept errors (EMFILE, ENFILE) refuse that connection; serving goes on.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EMFILE' || error.code === 'ENFILE') counts.refused++;
    else countError('server');
    ctx.log('server error: %s', error.message);
  });

  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`node server: unexpected address ${address}`);
  let stopping: Promise<void> | undefined;
  return {
    url: serverUrl(options.host, address.port),
    stats: (): ServerStats => ({ ...counts, errors: { ...errors } }),
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

/** The answer Node's parser error deserves, or undefined for socket errors (no answer possible). */
function toFrameError(
  error: NodeJS.ErrnoException & { reason?: string },
  headerTimeoutMs: number,
): FrameError | undefined {
  const code = error.code ?? '';
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, reason: `request head not complete within ${headerTimeoutMs} ms` };
  }
  if (code === 'HPE_HEADER_OVERFLOW')
    return { status: 431, reason: `request header block larger than ${MAX_HEADER_BYTES} bytes` };
  // llhttp says HPE_INVALID_VERSION also for a malformed version or a line without CRLF: 400 there.
  if (code === 'HPE_INVALID_VERSION' && error.reason === 'Invalid HTTP version') {
    return { status: 505, reason: 'unsupported HTTP version' };
  }
  // The HTTP/2 connection preface (PRI * HTTP/2.0): the framer answers its version 505.
  if (code === 'HPE_PAUSED_H2_UPGRADE') return { status: 505, reason: 'HTTP/2.0 is not supported' };
  if (code.startsWith('HPE_')) {
    return { status: 400, reason: `malformed request (${code})` };
  }
  return undefined;
}
