/**
 * Reads the Python expressions of fileConfig `args=` / `kwargs=` entries:
 * literals (strings, numbers, True/False/None, tuples, lists, dicts) and the
 * few names such files use (`sys.stdout`, `sys.stderr`, `SYSLOG_UDP_PORT`,
 * `SysLogHandler.LOG_*`, `socket.SOCK_*`). Python evaluates these with
 * `eval`; we only accept this safe subset and name anything else.
 */
import { LoggingConfigError } from '../circusd/errors';
import { SYSLOG_FACILITIES, SYSLOG_UDP_PORT } from './syslog-handler';

/** A parsed value; references such as `sys.stdout` become `ext://sys.stdout` strings, as in dictConfig. */
export type PyLiteral = string | number | boolean | null | PyLiteral[] | { [key: string]: PyLiteral };

function resolveName(name: string, where: string): PyLiteral {
  const bare = name.replace(/^(logging\.)?(handlers\.)?(SysLogHandler\.)?/, '');
  switch (name) {
    case 'True':
      return true;
    case 'False':
      return false;
    case 'None':
      return null;
    case 'sys.stdout':
    case 'sys.stderr':
    case 'socket.SOCK_DGRAM':
    case 'socket.SOCK_STREAM':
      return `ext://${name}`;
    default:
  }
  if (bare === 'SYSLOG_UDP_PORT') return SYSLOG_UDP_PORT;
  const facility = /^LOG_([A-Z0-9]+)$/.exec(bare);
  if (facility) {
    const code = SYSLOG_FACILITIES[facility[1].toLowerCase()];
    if (code !== undefined) return code;
  }
  throw new LoggingConfigError(`${where}: unsupported name '${name}' (only literals, sys.stdout, sys.stderr, ` +
    'SYSLOG_UDP_PORT, SysLogHandler.LOG_<FACILITY> and socket.SOCK_* are understood)');
}

class Reader {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly where: string,
  ) {}

  fail(what: string): never {
    throw new LoggingConfigError(`${this.where}: ${what} at offset ${this.pos} of ${JSON.stringify(this.text)}`);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }

  value(): PyLiteral {
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === undefined) this.fail('unexpected end');
    if (ch === '(') return this.sequence('(', ')');
    if (ch === '[') return this.sequence('[', ']');
    if (ch === '{') return this.dict();
    if (/[rRbBuU]/.test(ch) && /['"]/.test(this.text[this.pos + 1] ?? '')) {
      this.pos++;
      return this.string(ch === 'r' || ch === 'R');
    }
    if (ch === '"' || ch === "'") return this.string(false);
    const num = /^[+-]?(0x[0-9a-f]+|0o[0-7]+|\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?)/i.exec(this.text.slice(this.pos));
    if (num) {
      this.pos += num[0].length;
      const t = num[0].toLowerCase();
      if (t.includes('0x') || t.includes('0o')) {
        const neg = t.startsWith('-');
        const v = Number(t.replace(/^[+-]/, ''));
        return neg ? -v : v;
      }
      return Number(t);
    }
    const name = /^[A-Za-z_][\w.]*/.exec(this.text.slice(this.pos));
    if (name) {
      this.pos += name[0].length;
      return resolveName(name[0], this.where);
    }
    return this.fail(`unexpected character '${ch}'`);
  }

  private string(raw: boolean): string {
    const quote = this.text[this.pos];
    const triple = this.text.startsWith(quote.repeat(3), this.pos);
    this.pos += triple ? 3 : 1;
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) this.fail('unterminated string');
      if (triple ? this.text.startsWith(quote.repeat(3), this.pos) : this.text[this.pos] === quote) {
        this.pos += triple ? 3 : 1;
        break;
      }
      const ch = this.text[this.pos++];
      if (ch !== '\\' || raw) {
        out += ch;
        continue;
      }
      const esc = this.text[this.pos++];
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };
      if (esc in simple) out += simple[esc];
      else if (esc === 'x') {
        out += String.fromCharCode(parseInt(this.text.slice(this.pos, this.pos + 2), 16));
        this.pos += 2;
      } else out += `\\${esc}`;
    }
    // Adjacent literals concatenate, as in Python ('a' 'b').
    this.skipSpace();
    const next = this.text[this.pos];
    if (next === '"' || next === "'") return out + this.string(false);
    return out;
  }

  private sequence(open: string, close: string): PyLiteral[] {
    this.pos++;
    const items: PyLiteral[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === close) {
        this.pos++;
        return items;
      }
      items.push(this.value());
      this.skipSpace();
      const sep = this.text[this.pos];
      if (sep === ',') this.pos++;
      else if (sep !== close) this.fail(`expected ',' or '${close}'`);
    }
  }

  private dict(): { [key: string]: PyLiteral } {
    this.pos++;
    const out: { [key: string]: PyLiteral } = {};
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return out;
      }
      const key = this.value();
      if (typeof key !== 'string') this.fail('dict keys must be strings');
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      out[key] = this.value();
      this.skipSpace();
      const sep = this.text[this.pos];
      if (sep === ',') this.pos++;
      else if (sep !== '}') this.fail("expected ',' or '}'");
    }
  }
}

/**
 * Parses one Python expression. `where` names the config entry in errors
 * (e.g. `logging.ini [handler_file] args`).
 */
export function parsePyLiteral(text: string, where: string): PyLiteral {
  const reader = new Reader(text, where);
  const value = reader.value();
  if (!reader.atEnd()) reader.fail('unexpected trailing text');
  return value;
}
