import type { OutputPipe } from '../process/spawner';
import { ResolveContext } from '../../config/module-resolver';
import { ArgumentError, ConstructionError, errorMessage } from '../errors';
import { Logger } from '../logger';
import type { OutputTap } from './output-tap';
import { discardPipe, Redirector } from './redirector';
import { createOutputStream, StreamKey } from './stream-factory';
import { StreamSink } from './stream-sink';
import { DEFAULT_STREAM_CONTEXT, OutputStream, StreamContext, StreamRecord } from './stream-types';

type OutputName = StreamRecord['name'];

/** The watcher facts stream construction reads. */
export interface StreamSettings {
  readonly name: string;
  readonly stdout_stream: Readonly<Record<string, string>>;
  readonly stderr_stream: Readonly<Record<string, string>>;
  readonly working_dir: string | null;
  readonly env: Readonly<Record<string, string>>;
}

/** Where custom stream classes are looked up: the config file's directory, and circusd's cwd. */
export interface StreamLocation {
  readonly configDir: string;
  readonly cwd: string;
}

/** A child whose pipes may be attached. */
export interface PipedProcess {
  readonly pid: number;
  readonly stdout: OutputPipe | null;
  readonly stderr: OutputPipe | null;
}

/**
 * The output streams of one watcher (spec/daemon.md 4.2): one stream per
 * configured output, shared by every process of the watcher, surviving
 * process replacement and restarts; the redirector that feeds them.
 */
export class WatcherStreams {
  private readonly sinks: Record<OutputName, StreamSink | null> = { stdout: null, stderr: null };
  readonly redirector: Redirector;

  /**
   * `where` and `ctx` serve later rebuilds (`set`); the streams given are
   * already created (see {@link WatcherStreams.build}). `tap`, when given,
   * sees every chunk read from the pipes while it is active.
   */
  constructor(
    private readonly watcher: string,
    streams: { readonly stdout?: OutputStream | null; readonly stderr?: OutputStream | null },
    private readonly log: Logger,
    private readonly where: StreamLocation = { configDir: process.cwd(), cwd: process.cwd() },
    private readonly ctx: StreamContext = DEFAULT_STREAM_CONTEXT,
    tap: OutputTap | null = null,
  ) {
    this.sinks.stdout = streams.stdout ? this.sink('stdout', streams.stdout) : null;
    this.sinks.stderr = streams.stderr ? this.sink('stderr', streams.stderr) : null;
    this.redirector = new Redirector((name) => this.sinks[name], log, watcher, tap);
  }

  /**
   * Creates both streams of a watcher now (file streams create their file).
   * Throws ConstructionError naming the watcher and the stream; the arbiter
   * then skips the watcher.
   */
  static build(
    s: StreamSettings,
    where: StreamLocation,
    log: Logger,
    ctx: StreamContext = DEFAULT_STREAM_CONTEXT,
    tap: OutputTap | null = null,
  ): WatcherStreams {
    const resolve = resolveContext(s, where);
    const stdout = createOutputStream(s.name, 'stdout_stream', s.stdout_stream, resolve, ctx);
    let stderr: OutputStream | null;
    try {
      stderr = createOutputStream(s.name, 'stderr_stream', s.stderr_stream, resolve, ctx);
    } catch (err) {
      // The watcher is skipped: do not leave the stdout file open.
      void Promise.resolve(stdout?.close?.()).catch(() => undefined);
      throw err;
    }
    return new WatcherStreams(s.name, { stdout, stderr }, log, where, ctx, tap);
  }

  /** The stream of that output, or null when none is configured. */
  stream(name: OutputName): OutputStream | null {
    return this.sinks[name]?.stream ?? null;
  }

  /** Attaches the pipes of a freshly spawned process. */
  attach(p: PipedProcess): void {
    for (const name of ['stdout', 'stderr'] as const) {
      const pipe = p[name];
      if (!pipe) continue;
      // The stream may have been removed (set) since the spawn: the pipe must not leak.
      if (this.sinks[name]) this.redirector.attach(p.pid, name, pipe);
      else {
        this.log.warning(`${this.watcher}: ${name} of ${p.pid} has no stream any more; its output is dropped`);
        discardPipe(pipe, (err) => this.log.warning(`${this.watcher}: reading the ${name} of ${p.pid} failed: ${errorMessage(err)}`));
      }
    }
  }

  /** Watcher start: re-opens closed streams. */
  async open(): Promise<void> {
    await Promise.all([this.sinks.stdout?.open(), this.sinks.stderr?.open()]);
  }

  /** Watcher stop: detaches the pipes once they are drained (or after `graceMs`). */
  async detach(graceMs?: number): Promise<void> {
    await this.redirector.stop(graceMs);
    await Promise.all([this.sinks.stdout?.idle(), this.sinks.stderr?.idle()]);
  }

  /** Explicit stop: closes both streams after their pending writes. */
  async close(): Promise<void> {
    await Promise.all([this.sinks.stdout?.close(), this.sinks.stderr?.close()]);
  }

  /**
   * `set stdout_stream.*` (spec 2.16): builds the new stream from `options`
   * and swaps it in; the old one is closed after its pending writes. Throws
   * ArgumentError (keeping the old stream) when the new one cannot be built.
   */
  async rebuild(which: StreamKey, s: StreamSettings): Promise<void> {
    const name: OutputName = which === 'stdout_stream' ? 'stdout' : 'stderr';
    let fresh: OutputStream | null;
    try {
      fresh = createOutputStream(s.name, which, s[which], resolveContext(s, this.where), this.ctx);
    } catch (err) {
      if (err instanceof ConstructionError) throw new ArgumentError(err.message, { cause: err });
      throw err;
    }
    const old = this.sinks[name];
    this.sinks[name] = fresh ? this.sink(name, fresh) : null;
    await old?.close();
  }

  private sink(name: OutputName, stream: OutputStream): StreamSink {
    return new StreamSink(stream, (op, err) => {
      this.log.error(`${this.watcher}: ${name} stream ${op} failed: ${errorMessage(err)}`);
    });
  }
}

function resolveContext(s: StreamSettings, where: StreamLocation): ResolveContext {
  return { configDir: where.configDir, workingDir: s.working_dir, env: new Map(Object.entries(s.env)), cwd: where.cwd };
}
