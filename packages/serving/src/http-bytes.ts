/** Byte-level helpers for HTTP/1.x framing: character classes and case-insensitive matching. */

export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HTAB = 0x09;
export const COLON = 0x3a;

/** `tchar` from RFC 9110 §5.6.2: the bytes allowed in methods and header names. */
export const TOKEN_CHARS: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (const ch of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
    table[ch.charCodeAt(0)] = 1;
  }
  return table;
})();

/** Index of the first LF in `src[from, end)`, or -1. A plain loop: lines are short, and it never reads past `end`. */
export function findLf(src: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) if (src[i] === LF) return i;
  return -1;
}

/** The ASCII bytes of a lower-case string, for `equalsLower`. */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/**
 * True when `src[start, end)` equals `lower` ignoring ASCII case. `lower` holds only lower-case letters
 * and '-', for which `byte | 0x20` folds case without false matches among token characters.
 */
export function equalsLower(src: Uint8Array, start: number, end: number, lower: Uint8Array): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) if ((src[start + i]! | 0x20) !== lower[i]) return false;
  return true;
}

/** True when `src[start, end)` equals the (case-sensitive) ASCII bytes `bytes`. */
export function equalsBytes(src: Uint8Array, start: number, end: number, bytes: Uint8Array): boolean {
  if (end - start !== bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (src[start + i] !== bytes[i]) return false;
  return true;
}

/** Decodes `src[start, end)` as Latin-1 (request targets are ASCII; this never throws). */
export function latin1(src: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i += 4096) {
    out += String.fromCharCode.apply(null, src.subarray(i, Math.min(end, i + 4096)) as unknown as number[]);
  }
  return out;
}

/** Skips optional whitespace (SP / HTAB) forwards from `start`. */
export function skipOws(src: Uint8Array, start: number, end: number): number {
  while (start < end && (src[start] === SP || src[start] === HTAB)) start++;
  return start;
}

/** Trims optional whitespace backwards from `end`. */
export function trimOwsEnd(src: Uint8Array, start: number, end: number): number {
  while (end > start && (src[end - 1] === SP || src[end - 1] === HTAB)) end--;
  return end;
}
