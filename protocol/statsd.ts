/**
 * The statsd line protocol as Circus's `StatsdClient` speaks it
 * (spec/daemon.md 6.9): one UDP datagram per metric,
 * `<prefix>.<bucket>:<value>|<type>[|@<sample_rate>]`. Shared by the
 * statsd, resource_watcher, http_observer and redis_observer plugins, which
 * all send through a client like this one.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { pyFloatRepr } from '../config/python';

/**
 * The statsd options every Circus statsd-family plugin accepts, in the shape
 * of a plugin option schema (spec 6.9). `application_name`'s default differs
 * per plugin (`app`, `http_observer`, `redis_observer`).
 */
export function statsdOptionSchema(applicationName: string) {
  return {
    host: { type: 'string', default: 'localhost' },
    port: { type: 'int', default: 8125, min: 0 },
    sample_rate: { type: 'float', default: 1.0 },
    application_name: { type: 'string', default: applicationName },
  } as const;
}

/** The typed values of {@link statsdOptionSchema}. */
export interface StatsdOptions {
  readonly host: string;
  readonly port: number;
  readonly sample_rate: number;
  readonly application_name: string;
}

/** How a number is printed: as a Python int (`12`) or a Python float (`12.0`). */
export type NumberKind = 'int' | 'float';

/** A metric value as Circus prints it with `%s` (Python `str()`). */
export function statsdNumber(value: number, kind: NumberKind): string {
  if (kind === 'float') return pyFloatRepr(value);
  return Number.isInteger(value) ? String(value) : pyFloatRepr(value);
}

/** Where a send failure is reported (a plugin's logger). */
export interface StatsdErrorSink {
  warning(message: string): void;
}

/**
 * A fire-and-forget statsd sender with Circus's prefix and sample-rate
 * rendering. No sampling is actually done, as in Circus: the rate is only
 * announced. Sends never throw; a failure goes to the error sink.
 */
export class StatsdClient {
  private socket: Socket | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly host: string,
    private readonly port: number,
    /** `circus.<application_name>.watcher` for every Circus plugin. */
    readonly prefix: string,
    private readonly sampleRate: number,
    private readonly errors: StatsdErrorSink,
  ) {}

  /** The client of a plugin's statsd options: prefix `circus.<application_name>.watcher`. */
  static fromOptions(opts: StatsdOptions, errors: StatsdErrorSink): StatsdClient {
    return new StatsdClient(opts.host, opts.port, `circus.${opts.application_name}.watcher`, opts.sample_rate, errors);
  }

  /** Counter: `<bucket>:<delta>|c` (`%d`, so the delta is an integer). */
  increment(bucket: string, delta = 1): void {
    this.send(bucket, `${Math.trunc(delta)}|c`);
  }

  /** Gauge: `<bucket>:<value>|g`; a string is sent as it is. */
  gauge(bucket: string, value: number | string, kind: NumberKind = 'int'): void {
    this.send(bucket, `${typeof value === 'string' ? value : statsdNumber(value, kind)}|g`);
  }

  /** Timer: `<bucket>:<ms>|ms`. */
  timing(bucket: string, ms: number): void {
    this.send(bucket, `${statsdNumber(ms, 'int')}|ms`);
  }

  /** The exact datagram a metric becomes (what {@link send} puts on the wire). */
  line(bucket: string, value: string): string {
    const rated = this.sampleRate !== 1 ? `${value}|@${pyFloatRepr(this.sampleRate)}` : value;
    const name = this.prefix ? `${this.prefix}.${bucket}` : bucket;
    return `${name}:${rated}`;
  }

  /** Sends one metric; resolves nothing, fails into the error sink. */
  send(bucket: string, value: string): void {
    const datagram = Buffer.from(this.line(bucket, value), 'utf8');
    const socket = this.open();
    const sent = new Promise<void>((resolve) => {
      socket.send(datagram, this.port, this.host, (err) => {
        if (err) this.errors.warning(`statsd: could not send to ${this.host}:${this.port}: ${err.message}`);
        resolve();
      });
    });
    this.inFlight.add(sent);
    void sent.then(() => this.inFlight.delete(sent));
  }

  /** Waits for the datagrams already handed to the socket, then closes it. */
  async close(): Promise<void> {
    await Promise.all([...this.inFlight]);
    const socket = this.socket;
    this.socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private open(): Socket {
    if (this.socket) return this.socket;
    // Circus uses an AF_INET socket; an IPv6 literal host needs udp6 to be reachable at all.
    const socket = createSocket(isIPv6(this.host) ? 'udp6' : 'udp4');
    socket.on('error', (err) => this.errors.warning(`statsd: socket error: ${err.message}`));
    socket.unref();
    this.socket = socket;
    return socket;
  }
}
