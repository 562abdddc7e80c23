/**
 * Target URLs with an IPv6 zone, such as `--netns`'s `http://[fe80::1%iob1]:8080/`. WHATWG URL
 * parsers (`new URL`, undici) reject a zone in either spelling (`%iob1` or RFC 6874's `%25iob1`),
 * while getaddrinfo, libuv and wrk need it: a link-local address means nothing without the
 * interface it is reached through. Every part of iobench that opens connections to a target parses
 * it here.
 */

/** A target URL split into what `new URL` accepts and the zone it does not. */
export interface ZonedUrl {
  /** The URL without its zone (`http://[fe80::1]:8080/`): protocol, origin, path and query. */
  url: URL;
  /** The zone (interface name) of an IPv6 link-local host, e.g. `iob1`; undefined without one. */
  zone?: string;
  /**
   * The host as `net.connect`, `http.request` and getaddrinfo take it: no brackets, the zone
   * appended (`fe80::1%iob1`).
   */
  connectHost: string;
  /** The port, or the protocol's default (80 for http, 443 for https). */
  port: number;
}

// scheme://[userinfo@][address%zone] — the zone is everything after the first `%` (or `%25`).
const ZONED_HOST = /^([a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?\[[^\]%]*)%(25)?([^\]]*)\]/i;

/**
 * Parses `input` like `new URL` does, accepting an IPv6 zone in the host. Throws what `new URL`
 * throws for a URL that is invalid apart from its zone, and a TypeError for an empty zone.
 */
export function parseZonedUrl(input: string): ZonedUrl {
  const match = ZONED_HOST.exec(input);
  let zone: string | undefined;
  let url: URL;
  if (match) {
    const [whole, beforeZone, escaped, rawZone] = match as unknown as [string, string, string | undefined, string];
    // In the RFC 6874 spelling the zone itself is percent-encoded; in the bare one it is literal.
    zone = escaped ? decodeURIComponent(rawZone) : rawZone;
    if (zone === '') throw new TypeError(`expected an interface name after "%" in the host of ${input}`);
    url = new URL(`${beforeZone}]${input.slice(whole.length)}`);
  } else {
    url = new URL(input);
  }
  const bare = url.hostname.replace(/^\[|\]$/g, '');
  return {
    url,
    ...(zone === undefined ? {} : { zone }),
    connectHost: zone === undefined ? bare : `${bare}%${zone}`,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
  };
}
