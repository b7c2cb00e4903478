/**
 * JSON the way Python circusctl reads it: replies are decoded keeping whether
 * a number was written as a float (`5.0` stays a float, so it prints `5.0`).
 * Writing is protocol/py-json.ts's `pyJson`.
 */
import { PyFloat } from '../../config/python';

/** Thrown for text that is not JSON; the message reads like Python's decoder. */
export class JsonDecodeError extends Error {
  override readonly name = 'JsonDecodeError';
}

/** Parses JSON; numbers with a fraction or exponent become {@link PyFloat}. */
export function parsePyJson(text: string): unknown {
  let i = 0;
  const fail = (what: string): never => {
    throw new JsonDecodeError(`${what}: line 1 column ${i + 1} (char ${i})`);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('Expecting property name enclosed in double quotes');
        const key = str();
        ws();
        if (text[i] !== ':') fail("Expecting ':' delimiter");
        i++;
        // defineProperty, so a "__proto__" key is data, as in Python, not the prototype.
        Object.defineProperty(obj, key, { value: value(), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail("Expecting ',' delimiter");
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail("Expecting ',' delimiter");
      }
    }
    if (c === '"') return str();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
      ['NaN', new PyFloat(NaN)],
      ['Infinity', new PyFloat(Infinity)],
      ['-Infinity', new PyFloat(-Infinity)],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(text.slice(i));
    if (!m) return fail('Expecting value');
    i += m[0].length;
    const n = Number(m[0]);
    return m[2] !== undefined || m[3] !== undefined ? new PyFloat(n) : n;
  };
  const str = (): string => {
    const start = i;
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) {
        i = start;
        fail('Unterminated string starting at');
      }
      const c = text[i];
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          fail('Invalid \\escape');
        }
        continue;
      }
      out += c;
      i++;
    }
  };
  const result = value();
  ws();
  if (i !== text.length) fail('Extra data');
  return result;
}
