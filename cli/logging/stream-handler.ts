/** Python `logging.StreamHandler`: one line per record on stdout or stderr. */
import { Handler } from './handler';
import type { LogRecord } from './log-record';

/** The two console streams a logger config can name (`ext://sys.stdout`, `sys.stderr`). */
export type ConsoleStream = 'stdout' | 'stderr';

const guarded = new WeakSet<NodeJS.WritableStream>();
const broken = new WeakSet<NodeJS.WritableStream>();

/**
 * A writer on a console stream that survives the stream's death: when the
 * reader of circusd's stderr goes away (closed terminal, dead pipe), the
 * stream's 'error' event would otherwise crash the daemon and its watchers.
 */
function consoleWriter(name: ConsoleStream): (text: string) => void {
  const stream = name === 'stdout' ? process.stdout : process.stderr;
  if (!guarded.has(stream)) {
    guarded.add(stream);
    stream.on('error', () => broken.add(stream));
  }
  return (text) => {
    if (!broken.has(stream)) stream.write(text);
  };
}

/** Writes records to circusd's stdout or stderr (stderr by default, as Python does). */
export class StreamHandler extends Handler {
  constructor(
    readonly stream: ConsoleStream = 'stderr',
    private readonly writer: (text: string) => void = consoleWriter(stream),
  ) {
    super();
  }

  protected emit(record: LogRecord): void {
    this.writer(`${this.format(record)}\n`);
  }

  describe(): string {
    return `StreamHandler(${this.stream})`;
  }
}
