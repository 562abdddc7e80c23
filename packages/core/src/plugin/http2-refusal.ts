/**
 * The refusal of a target that does not speak HTTP/2 when `--http2` asks for it. Two places find
 * out: the engine's check before a run, and a load generator's connect during one (a server may
 * change, or sit behind a balancer with mixed backends); both refuse it in these words.
 */
import { ConfigError } from '../errors.js';

/**
 * A ConfigError for `subject` (e.g. `target https://host:8443/`), whose TLS handshake chose
 * `chosen` (false: no ALPN protocol at all) when offered `h2` and `http/1.1`.
 */
export function notHttp2Error(subject: string, chosen: string | false, options: { plugin?: string } = {}): ConfigError {
  return new ConfigError(
    `${subject} does not speak HTTP/2: offered h2 and http/1.1 in the TLS handshake (ALPN), it chose ${chosen === false ? 'neither (no ALPN)' : chosen}`,
    {
      ...options,
      suggestions: [
        'Drop --http2 to measure it over HTTP/1.1, or enable HTTP/2 on the server (nginx: `http2 on;` in its TLS server block).',
      ],
    },
  );
}
