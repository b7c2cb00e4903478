/**
 * Z85 (ZeroMQ RFC 32), the text form of CURVE keys: key files,
 * `curve_authorized_keys`, and the raw 32-byte key a ZAP request carries
 * all meet in this form.
 */

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';
const VALUE = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]));

/** Encodes bytes whose length is a multiple of 4; throws a RangeError otherwise. */
export function z85Encode(data: Uint8Array): string {
  if (data.length % 4 !== 0) throw new RangeError(`Z85 needs a multiple of 4 bytes, got ${data.length}`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let text = '';
  for (let i = 0; i < data.length; i += 4) {
    let value = view.getUint32(i);
    let chunk = '';
    for (let j = 0; j < 5; j += 1) {
      chunk = ALPHABET[value % 85] + chunk;
      value = Math.floor(value / 85);
    }
    text += chunk;
  }
  return text;
}

/** Decodes Z85 text (a multiple of 5 characters); undefined when it is not valid Z85. */
export function z85Decode(text: string): Buffer | undefined {
  if (text.length % 5 !== 0) return undefined;
  const out = Buffer.alloc((text.length / 5) * 4);
  for (let i = 0; i < text.length; i += 5) {
    let value = 0;
    for (let j = 0; j < 5; j += 1) {
      const digit = VALUE.get(text[i + j]);
      if (digit === undefined) return undefined;
      value = value * 85 + digit;
    }
    // 5 digits can exceed 32 bits; libzmq rejects such text, so do we.
    if (value > 0xffffffff) return undefined;
    out.writeUInt32BE(value, (i / 5) * 4);
  }
  return out;
}
