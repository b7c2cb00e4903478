import { statSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import { renameIfExists } from './file-stream';
import { LogFile } from './log-file';
import { boolOption, intOption } from './stream-options';
import { DEFAULT_STREAM_CONTEXT, OutputStream, StreamContext, StreamRecord } from './stream-types';
import { formatChunk } from './time-prefix';

const DAY = 86_400;

interface Unit {
  readonly seconds: number;
  /** Fields of the backup suffix: year, month, day, hour, minute, second. */
  readonly fields: number;
}

const UNITS: Readonly<Record<string, Unit>> = {
  S: { seconds: 1, fields: 6 },
  M: { seconds: 60, fields: 5 },
  H: { seconds: 3600, fields: 4 },
  D: { seconds: DAY, fields: 3 },
  MIDNIGHT: { seconds: DAY, fields: 3 },
};

/** Local UTC offset at epoch second `t`, in minutes west (as getTimezoneOffset reports it). */
function tzOffsetMinutes(t: number): number {
  return new Date(t * 1000).getTimezoneOffset();
}

/**
 * Time-based rotation like Python's TimedRotatingFileHandler (spec/daemon.md
 * 4.3): before a write past the rollover time the file is renamed to
 * `<file>.<suffix>` and the oldest backups beyond `backup_count` deleted.
 * `rotate_when` is accepted in any case (Circus only took upper case, Q26)
 * and `utc` is parsed as a boolean (Circus took any non-empty string as
 * true, Q26).
 */
export class TimedRotatingFileStream implements OutputStream {
  readonly when: string;
  /** Seconds between rollovers. */
  readonly interval: number;
  readonly backupCount: number;
  readonly utc: boolean;
  readonly timeFormat: string | null;
  /** Suffix pattern of backups, e.g. /^\d{14}$/ for `S`. */
  readonly suffixPattern: RegExp;
  /** Epoch seconds of the next rollover. */
  rolloverAt: number;
  private readonly unit: Unit;
  private readonly dayOfWeek: number;
  private readonly file: LogFile;

  constructor(options: Readonly<Record<string, string>> = {}, private readonly ctx: StreamContext = DEFAULT_STREAM_CONTEXT) {
    const when = (options.rotate_when ?? '').trim().toUpperCase();
    const weekly = /^W[0-6]$/.test(when);
    const unit = weekly ? { seconds: 7 * DAY, fields: 3 } : UNITS[when];
    if (!unit) throw new RangeError(`rotate_when: invalid rotation '${options.rotate_when ?? ''}' (expected S, M, H, D, MIDNIGHT or W0-W6)`);
    this.when = when;
    this.unit = unit;
    this.dayOfWeek = weekly ? Number(when[1]) : -1;
    this.interval = unit.seconds * intOption(options, 'rotate_interval', 1);
    this.backupCount = intOption(options, 'backup_count', 0);
    this.utc = boolOption(options, 'utc', false);
    this.timeFormat = options.time_format ?? null;
    this.suffixPattern = new RegExp(`^\\d{${[4, 6, 8, 10, 12, 14][unit.fields - 1]}}$`);
    this.file = new LogFile(options.filename ?? null);
    this.file.openSync();
    const mtime = Math.floor(statSync(this.file.path).mtimeMs / 1000);
    this.rolloverAt = this.computeRollover(mtime);
  }

  get filename(): string {
    return this.file.path;
  }

  get isOpen(): boolean {
    return this.file.isOpen;
  }

  /** The suffix a backup made at epoch second `t` gets. */
  suffix(t: number): string {
    const d = new Date(t * 1000);
    const parts = this.utc
      ? [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
      : [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];
    return parts
      .slice(0, this.unit.fields)
      .map((n, i) => String(n).padStart(i === 0 ? 4 : 2, '0'))
      .join('');
  }

  async write(record: StreamRecord): Promise<void> {
    const now = Math.floor(this.ctx.now() / 1000);
    if (now >= this.rolloverAt) await this.rollover(now);
    const text = this.timeFormat === null ? record.data : Buffer.from(formatChunk(record.data.toString('utf8'), this.timeFormat, this.ctx.now(), record.pid));
    await this.file.write(text);
  }

  open(): Promise<void> {
    return this.file.open();
  }

  close(): Promise<void> {
    return this.file.close();
  }

  /**
   * Next rollover after epoch second `t`: `t + interval`, or the next
   * midnight, or for `Wd` the midnight that ends the next weekday `d`
   * (a week ahead when today is `d`, as in Circus). Circus computed a
   * negative number of days when `d` had passed this week; here the days
   * to add are taken modulo 7.
   */
  computeRollover(t: number): number {
    if (this.when !== 'MIDNIGHT' && this.dayOfWeek < 0) return t + this.interval;
    const d = new Date(t * 1000);
    const [h, m, s] = this.utc ? [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()] : [d.getHours(), d.getMinutes(), d.getSeconds()];
    let result = t + DAY - ((h * 60 + m) * 60 + s);
    if (this.dayOfWeek >= 0) {
      const jsDay = this.utc ? d.getUTCDay() : d.getDay();
      const today = (jsDay + 6) % 7;
      const wait = (this.dayOfWeek - today + 7) % 7 || 7;
      result += wait * DAY;
    }
    if (!this.utc) result += (tzOffsetMinutes(result) - tzOffsetMinutes(t)) * 60;
    return result;
  }

  private async rollover(now: number): Promise<void> {
    await this.file.close();
    let t = this.rolloverAt - this.interval;
    if (!this.utc) t += (tzOffsetMinutes(t) - tzOffsetMinutes(now)) * 60;
    const target = `${this.file.path}.${this.suffix(t)}`;
    try {
      await unlink(target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    await renameIfExists(this.file.path, target);
    if (this.backupCount > 0) for (const old of await this.backupsToDelete()) await unlink(old);
    await this.file.open();
    let next = this.computeRollover(now);
    while (next <= now) next += this.interval;
    this.rolloverAt = next;
  }

  private async backupsToDelete(): Promise<string[]> {
    const dir = path.dirname(this.file.path);
    const prefix = `${path.basename(this.file.path)}.`;
    const found = (await readdir(dir)).filter((n) => n.startsWith(prefix) && this.suffixPattern.test(n.slice(prefix.length))).sort();
    if (found.length <= this.backupCount) return [];
    return found.slice(0, found.length - this.backupCount).map((n) => path.join(dir, n));
  }
}
