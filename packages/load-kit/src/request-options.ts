/**
 * The options that describe the request a generator sends, shared by the in-process generators so
 * that `--load-opt method=POST` means the same to each. Every rule is the one HTTP/1.1 sets for the
 * bytes on the wire: a method is a token, a target holds no spaces or controls, a header value no
 * CR/LF (which would split the request).
 */
import { isIP } from 'node:net';
import { z } from 'zod';

/** HTTP method token (RFC 9110 §9.1). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A request target: visible ASCII and Latin-1, no spaces or controls. */
const PATH = /^\/[\u0021-\u00ff]*$/;
/** Header field value: no CR, LF or other controls. */
const HEADER_VALUE = /^[\t\u0020-\u007e\u0080-\u00ff]*$/;

export const requestOptionsShape = {
  method: z
    .string()
    .regex(TOKEN, 'must be an HTTP method token such as GET or POST')
    .default('GET')
    .describe('HTTP method of every request'),
  path: z
    .string()
    .regex(PATH, 'must start with "/" and hold no spaces or control characters')
    .optional()
    .describe("Request path and query; defaults to the target URL's path and query"),
  headers: z
    .record(
      z.string().regex(TOKEN, 'header names must be HTTP tokens'),
      z.string().regex(HEADER_VALUE, 'header values must not contain CR, LF or other control characters'),
    )
    .default({})
    .describe('Extra request headers, e.g. { "accept": "text/plain" }'),
  body: z.string().optional().describe('Request body, sent with a Content-Length'),
  localAddress: z
    .string()
    .refine((a) => isIP(a.split('%')[0]!) !== 0, 'must be an IP address of this host, e.g. 10.0.0.2 or fe80::2%eth1')
    .optional()
    .describe('Source address of every connection (bind before connect)'),
  saturationThreshold: z
    .number()
    .gt(0)
    .max(1)
    .default(0.9)
    .describe(
      'Loop utilisation or CPU per thread (fraction of a core) at which the generator counts as the bottleneck',
    ),
};
