/**
 * Python logging's `Formatter` with `%`-style format strings: the format
 * language logger config files (and Circus's own default) are written in.
 * Hand-written: no library speaks Python's `%(name)-8s` mapping syntax.
 */
import { LoggingConfigError } from '../circusd/errors';
import type { LogRecord } from './log-record';
import { strftime } from '../../kernel';

/** Circus's line format: `<date> <logger>[<pid>] [<LEVEL>] <message>`. */
export const CIRCUS_LOG_FORMAT = '%(asctime)s %(name)s[%(process)d] [%(levelname)s] %(message)s';
/** Circus's date format for consoles and files. */
export const CIRCUS_DATE_FORMAT = '%Y-%m-%d %H:%M:%S';
/** Circus's date format for syslog outputs. */
export const CIRCUS_SYSLOG_DATE_FORMAT = '%b %d %H:%M:%S';

const KNOWN_FIELDS = new Set([
  'name',
  'levelno',
  'levelname',
  'message',
  'msg',
  'asctime',
  'created',
  'msecs',
  'relativeCreated',
  'process',
  'processName',
  'thread',
  'threadName',
]);

/** The process start, for `%(relativeCreated)d` (Python counts from logging's import). */
const LOAD_TIME = Date.now();

interface Spec {
  readonly key: string;
  readonly flags: string;
  readonly width: number | null;
  readonly precision: number | null;
  readonly conversion: string;
}

type Piece = string | Spec;

const SPEC = /%(?:\(([^)]*)\)([#0\- +]*)(\d+)?(?:\.(\d+))?[hlL]?([diouxXeEfFgGcrsa])|(%))/g;

function parse(format: string, where: string): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  for (const m of format.matchAll(SPEC)) {
    const index = m.index ?? 0;
    if (index > last) pieces.push(format.slice(last, index));
    last = index + m[0].length;
    if (m[6]) {
      pieces.push('%');
      continue;
    }
    const key = m[1];
    if (!KNOWN_FIELDS.has(key)) {
      throw new LoggingConfigError(
        `${where}: unsupported field %(${key}) in format ${JSON.stringify(format)} ` +
          `(supported: ${[...KNOWN_FIELDS].join(', ')})`,
      );
    }
    pieces.push({
      key,
      flags: m[2] ?? '',
      width: m[3] ? Number(m[3]) : null,
      precision: m[4] !== undefined ? Number(m[4]) : null,
      conversion: m[5],
    });
  }
  if (last < format.length) pieces.push(format.slice(last));
  return pieces;
}

function fieldValue(key: string, record: LogRecord, asctime: string): string | number {
  switch (key) {
    case 'name':
      return record.name;
    case 'levelno':
      return record.levelno;
    case 'levelname':
      return record.levelname;
    case 'message':
    case 'msg':
      return record.message;
    case 'asctime':
      return asctime;
    case 'created':
      return record.created / 1000;
    case 'msecs':
      return record.created % 1000;
    case 'relativeCreated':
      return record.created - LOAD_TIME;
    case 'process':
      return record.process;
    case 'processName':
      return 'MainProcess';
    case 'thread':
      return 0;
    default:
      return 'MainThread';
  }
}

function render(spec: Spec, value: string | number): string {
  let text: string;
  const num = typeof value === 'number' ? value : Number(value);
  switch (spec.conversion) {
    case 'd':
    case 'i':
    case 'u':
      text = String(Math.trunc(num));
      break;
    case 'f':
    case 'F':
      text = num.toFixed(spec.precision ?? 6);
      break;
    case 'e':
    case 'E':
      text = num.toExponential(spec.precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
      if (spec.conversion === 'E') text = text.toUpperCase();
      break;
    case 'g':
    case 'G':
      text = String(Number(num.toPrecision(spec.precision ?? 6)));
      break;
    case 'x':
      text = Math.trunc(num).toString(16);
      break;
    case 'X':
      text = Math.trunc(num).toString(16).toUpperCase();
      break;
    case 'o':
      text = Math.trunc(num).toString(8);
      break;
    case 'c':
      text = typeof value === 'number' ? String.fromCharCode(value) : value.slice(0, 1);
      break;
    case 'r':
    case 'a':
      text = typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : String(value);
      break;
    default:
      text = String(value);
      if (spec.precision !== null) text = text.slice(0, spec.precision);
  }
  const numeric = 'diouxXeEfFgG'.includes(spec.conversion);
  if (numeric && num >= 0 && spec.flags.includes('+')) text = `+${text}`;
  else if (numeric && num >= 0 && spec.flags.includes(' ')) text = ` ${text}`;
  const width = spec.width ?? 0;
  if (text.length >= width) return text;
  if (spec.flags.includes('-')) return text.padEnd(width);
  if (numeric && spec.flags.includes('0')) {
    const sign = /^[+\- ]/.test(text) ? text[0] : '';
    return sign + text.slice(sign.length).padStart(width - sign.length, '0');
  }
  return text.padStart(width);
}

/** Turns a {@link LogRecord} into one line of text (no terminator). */
export class Formatter {
  private readonly pieces: Piece[];
  private readonly usesTime: boolean;

  /**
   * @param format Python `%`-style format (`%(message)s` when omitted, as Python does)
   * @param datefmt strftime format of `%(asctime)s`; Python's `YYYY-mm-dd HH:MM:SS,mmm` when null
   * @param where names the config entry in errors
   */
  constructor(
    readonly format: string = '%(message)s',
    readonly datefmt: string | null = null,
    where = 'formatter',
  ) {
    this.pieces = parse(format, where);
    this.usesTime = format.includes('%(asctime)');
  }

  /** Python's `formatTime`. */
  formatTime(record: LogRecord): string {
    const date = new Date(record.created);
    if (this.datefmt) return strftime(this.datefmt, date);
    return `${strftime('%Y-%m-%d %H:%M:%S', date)},${String(record.created % 1000).padStart(3, '0')}`;
  }

  /** The formatted line. */
  formatRecord(record: LogRecord): string {
    const asctime = this.usesTime ? this.formatTime(record) : '';
    let out = '';
    for (const piece of this.pieces) {
      out += typeof piece === 'string' ? piece : render(piece, fieldValue(piece.key, record, asctime));
    }
    return out;
  }
}
