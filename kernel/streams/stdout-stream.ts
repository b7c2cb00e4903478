import { DEFAULT_STREAM_CONTEXT, OutputStream, StreamContext, StreamRecord, writeConsole } from './stream-types';

/** Writes the decoded output unchanged to circusd's stdout (spec/daemon.md 4.3). */
export class StdoutStream implements OutputStream {
  constructor(_options: Readonly<Record<string, string>> = {}, private readonly ctx: StreamContext = DEFAULT_STREAM_CONTEXT) {}

  write(record: StreamRecord): void | Promise<void> {
    return writeConsole(this.ctx.console, record.data.toString('utf8'));
  }
}
