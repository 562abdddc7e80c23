/**
 * wrk 4.1 counts every response whose body is delimited by the connection closing (no
 * Content-Length, not chunked) twice: as a completed request and as a read error (after the parser
 * completes the message on EOF, wrk's `http_body_is_final` check fails). Counting those responses
 * needs a Lua `response()` hook, which slows wrk down on every response, so iobench first sends one
 * request of its own and enables the hook only when the target answers close-delimited.
 */
import http from 'node:http';
import https from 'node:https';
import { type LoadRequest, parseZonedUrl, type ZonedUrl } from '@iobench/core';

export interface ProbeRequest {
  url: string;
  /** The request to probe with: the first of the run's list. */
  request: LoadRequest;
  /**
   * The whole probe's budget: connect, head and body together. Not an idle timeout, which a server
   * that drips bytes or streams 100 Continue forever would keep resetting.
   */
  timeoutMs: number;
  signal: AbortSignal;
}

/**
 * True when the target answers `request` with a close-delimited body, false when its response is
 * length-delimited or chunked, undefined when the probe got no response (wrk will tell why).
 */
export function probeCloseDelimited(request: ProbeRequest): Promise<boolean | undefined> {
  let target: ZonedUrl;
  try {
    // The host may carry an IPv6 zone (`http://[fe80::1%iob1]:8080/` under --netns), as wrk's does.
    target = parseZonedUrl(request.url);
  } catch {
    return Promise.resolve(undefined); // wrk will reject the URL with its own message.
  }
  return new Promise((resolve) => {
    let settled = false;
    const settle = (value: boolean | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(budget);
      request.signal.removeEventListener('abort', giveUp);
      resolve(value);
      req.destroy();
    };
    const giveUp = () => settle(undefined);
    const budget = setTimeout(giveUp, request.timeoutMs);
    request.signal.addEventListener('abort', giveUp, { once: true });
    const { url } = target;
    const client = url.protocol === 'https:' ? https : http;
    // Host as wrk sends it: from the URL, without the zone (which means nothing to the server).
    const { method, path, body } = request.request;
    const given = request.request.headers;
    const headers: Array<[string, string]> = given.some(([n]) => n.toLowerCase() === 'host')
      ? [...given]
      : [['host', url.host], ...given];
    if (body !== undefined && !given.some(([n]) => n.toLowerCase() === 'content-length'))
      headers.push(['content-length', String(body.length)]);
    const req = client.request({
      protocol: url.protocol,
      host: target.connectHost,
      port: target.port,
      path,
      method,
      headers: headers.flat(),
      agent: false,
      // wrk does not verify certificates either.
      rejectUnauthorized: false,
    });
    req.on('response', (res) => {
      const bodyless = res.statusCode === 204 || res.statusCode === 304 || (res.statusCode ?? 0) < 200;
      const framed = 'content-length' in res.headers || 'transfer-encoding' in res.headers;
      res.on('error', () => {});
      // The head is all the probe needs: the body (maybe endless) is never read.
      settle(!bodyless && !framed && method.toUpperCase() !== 'HEAD');
    });
    req.on('error', giveUp);
    if (request.signal.aborted) giveUp();
    else req.end(body === undefined ? undefined : Buffer.from(body));
  });
}
