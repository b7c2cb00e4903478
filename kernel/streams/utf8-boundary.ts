/**
 * Length of `buf` without a UTF-8 sequence cut off at its end, so a pipe
 * chunk boundary never turns one character into two U+FFFD (the stream
 * decodes each record on its own). Invalid bytes are left for the decoder.
 */
export function utf8Boundary(buf: Uint8Array): number {
  const n = buf.length;
  let i = n - 1;
  let continuation = 0;
  while (i >= 0 && continuation < 3 && (buf[i] & 0xc0) === 0x80) {
    i -= 1;
    continuation += 1;
  }
  if (i < 0) return n;
  const lead = buf[i];
  const need = lead >= 0xf8 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return n - i < need ? i : n;
}
