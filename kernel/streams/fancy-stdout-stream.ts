import { DEFAULT_STREAM_CONTEXT, OutputStream, StreamContext, StreamRecord, writeConsole } from './stream-types';
import { timePrefix } from './time-prefix';

/** Colour names in the order that gives their ANSI code (red = 1 ... white = 7). */
export const FANCY_COLORS: readonly string[] = ['red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];

/**
 * Coloured, time-stamped output on circusd's stdout (spec/daemon.md 4.3):
 * one `ESC[0;3<c>;40m<time> [<pid>] | <line>ESC[0m` line per non-empty
 * line. Options: `color` (random once per stream when absent or unknown),
 * `time_format` (default `%Y-%m-%d %H:%M:%S`).
 */
export class FancyStdoutStream implements OutputStream {
  readonly color: string;
  readonly timeFormat: string;

  constructor(options: Readonly<Record<string, string>> = {}, private readonly ctx: StreamContext = DEFAULT_STREAM_CONTEXT) {
    const asked = options.color;
    this.color = asked !== undefined && FANCY_COLORS.includes(asked) ? asked : FANCY_COLORS[Math.floor(ctx.random() * FANCY_COLORS.length)];
    this.timeFormat = options.time_format ?? '%Y-%m-%d %H:%M:%S';
  }

  /** The escape sequence that opens each line, e.g. `\x1b[0;31;40m` for red. */
  get colorCode(): string {
    return `\x1b[0;3${FANCY_COLORS.indexOf(this.color) + 1};40m`;
  }

  write(record: StreamRecord): void | Promise<void> {
    const prefix = timePrefix(this.timeFormat, this.ctx.now(), record.pid);
    let out = '';
    for (const line of record.data.toString('utf8').split('\n')) {
      if (line !== '') out += `${this.colorCode}${prefix}${line}\x1b[0m\n`;
    }
    return writeConsole(this.ctx.console, out);
  }
}
