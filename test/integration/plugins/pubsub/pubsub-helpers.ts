/**
 * Shared pieces of the pubsub tests: a real zeromq SUB socket recording
 * every event it receives as raw text, a raw DEALER client for the control
 * endpoint of the circusd under test, and the per-test circusd of a suite.
 */
import { Dealer, Subscriber } from 'zeromq';
import { CircusdRun, Sandbox, waitFor } from '../../cli/circusd-harness';

/** One received event, both frames as text. */
export interface RawEvent {
  readonly topic: string;
  readonly body: string;
}

/** A SUB socket recording events in arrival order. */
export class EventTap {
  readonly events: RawEvent[] = [];
  readonly socket = new Subscriber({ linger: 0 });
  private readonly loop: Promise<void>;
  /** Frames that were not two (never expected: counted so a test can assert on it). */
  malformed = 0;

  constructor(endpoint: string, prefix = 'watcher.') {
    this.socket.connect(endpoint);
    this.socket.subscribe(prefix);
    this.loop = this.receive();
  }

  private async receive(): Promise<void> {
    try {
      for await (const frames of this.socket) {
        if (frames.length !== 2) this.malformed += 1;
        else this.events.push({ topic: frames[0].toString('utf8'), body: frames[1].toString('utf8') });
      }
    } catch (err) {
      // Closing the socket ends the iteration; anything else is a test failure to see.
      if (!this.socket.closed) throw err;
    }
  }

  /** Index where the next scenario's events start. */
  mark(): number {
    return this.events.length;
  }

  /** Events since `from` whose topic starts with `prefix`. */
  since(from: number, prefix = 'watcher.'): RawEvent[] {
    return this.events.slice(from).filter((e) => e.topic.startsWith(prefix));
  }

  /** Waits until the events since `from` (with that prefix) satisfy `done`; returns them. */
  async until(what: string, from: number, prefix: string, done: (events: RawEvent[]) => boolean, ms = 15_000): Promise<RawEvent[]> {
    return waitFor(what, () => {
      const evs = this.since(from, prefix);
      return done(evs) ? evs : undefined;
    }, ms).catch((err: Error) => {
      throw new Error(`${err.message}; got ${JSON.stringify(this.since(from, prefix))}`);
    });
  }

  async close(): Promise<void> {
    if (!this.socket.closed) this.socket.close();
    await this.loop;
  }
}

/** A raw DEALER on the control endpoint; one request at a time. */
export class Control {
  private readonly dealer = new Dealer({ linger: 0, receiveTimeout: 20_000 });
  private seq = 0;

  constructor(endpoint: string) {
    this.dealer.connect(endpoint);
  }

  /** Sends `{command, properties, id}` and returns the parsed reply, whatever its status. */
  async request(command: string, properties: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = `pubsub-test-${++this.seq}`;
    await this.dealer.send(JSON.stringify({ command, properties, id }));
    const [frame] = await this.dealer.receive();
    return JSON.parse(frame.toString('utf8')) as Record<string, unknown>;
  }

  /** Like {@link request}, failing on a status other than ok. */
  async call(command: string, properties: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const reply = await this.request(command, properties);
    if (reply.status !== 'ok') throw new Error(`${command} failed: ${JSON.stringify(reply)}`);
    return reply;
  }

  close(): void {
    if (!this.dealer.closed) this.dealer.close();
  }
}

/**
 * Beats the ZeroMQ slow joiner without a fixed sleep: re-sends a harmless
 * `set` (one `updated` event each) until the tap has seen one, so the
 * subscription is known to be in place. Bounded in count and time.
 */
export async function syncTap(tap: EventTap, ctl: Control, watcher: string): Promise<void> {
  const topic = `watcher.${watcher}.updated`;
  for (let i = 0; i < 100; i++) {
    await ctl.call('set', { name: watcher, options: { retry_in: 1 }, waiting: true });
    try {
      await waitFor('the tap to see an updated event', () => tap.events.some((e) => e.topic === topic) || undefined, 200);
      return;
    } catch {
      // Not subscribed yet: try again.
    }
  }
  throw new Error('the subscriber never received an event');
}

/** The exact body of a process event: `{"process_pid": <pid>, "time": <float>}`; returns the pid. */
export const PROCESS_BODY = /^\{"process_pid": (\d+), "time": \d+\.\d+\}$/;
/** The exact body of a reap: `{"process_pid": <pid>, "time": <float>, "exit_code": <int>}`. */
export const REAP_BODY = /^\{"process_pid": (\d+), "time": \d+\.\d+, "exit_code": (-?\d+)\}$/;
/** The exact body of a watcher event: `{"time": <float>}`. */
export const TIME_BODY = /^\{"time": \d+\.\d+\}$/;

/** The pid in a process event's body (asserting its exact shape). */
export function pidOf(e: RawEvent): number {
  const m = PROCESS_BODY.exec(e.body) ?? REAP_BODY.exec(e.body);
  if (!m) throw new Error(`not a process event body: ${e.body}`);
  return Number(m[1]);
}

/** The event name of a topic (its last part). */
export function kind(e: RawEvent): string {
  return e.topic.slice(e.topic.lastIndexOf('.') + 1);
}

/**
 * Ends a circusd started by the Sandbox: SIGTERM and a bounded wait; if it
 * does not exit, its workers then itself are SIGKILLed. (Its workers may
 * hold its stdio pipes, so the Sandbox's own SIGKILL-then-wait could wait
 * for them.)
 */
export async function endDaemon(box: Sandbox, run: CircusdRun): Promise<void> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return;
  run.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 15_000)));
  const late = await Promise.race([run.exited.then(() => false), timedOut]);
  clearTimeout(timer);
  if (!late) return;
  for (const pid of box.workerPids()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  run.child.kill('SIGKILL');
  await run.exited;
}

/** The per-test circusd of a pubsub suite (see {@link pubsubRig}). */
export interface PubsubRig {
  /** This test's sandbox (a new one each test). */
  readonly box: Sandbox;
  /** The circusd started by {@link PubsubRig.daemon}, if any. */
  readonly run: CircusdRun | null;
  /** Run after the test, last added first, before circusd is ended. */
  readonly closers: (() => void | Promise<void>)[];
  /**
   * Starts circusd on `config` (a Sandbox config text), waits for `ready`,
   * then opens a Control and an EventTap (also subscribed to `prefixes`),
   * closed after the test, and beats the slow joiner with `set` on `watcher`.
   */
  daemon(config: string, watcher: string, ready: (ctl: Control) => Promise<unknown>, prefixes?: readonly string[]): Promise<{ ctl: Control; tap: EventTap }>;
}

/**
 * Registers the hooks of a pubsub suite: a fresh Sandbox before each test;
 * after it, the closers (newest first), circusd ended with
 * {@link endDaemon}, and the sandbox cleaned up.
 */
export function pubsubRig(): PubsubRig {
  let box: Sandbox | null = null;
  let run: CircusdRun | null = null;
  const closers: (() => void | Promise<void>)[] = [];
  const current = (): Sandbox => {
    if (!box) throw new Error('the pubsub sandbox exists only inside a test');
    return box;
  };
  beforeEach(() => {
    box = new Sandbox();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    if (box && run) await endDaemon(box, run);
    run = null;
    await box?.cleanup();
    box = null;
  });
  return {
    get box(): Sandbox {
      return current();
    },
    get run(): CircusdRun | null {
      return run;
    },
    closers,
    async daemon(config, watcher, ready, prefixes = []) {
      const sb = current();
      run = sb.start([sb.writeConfig('c.ini', config)]);
      const ctl = new Control(`ipc://${sb.dir}/ctl.sock`);
      closers.push(() => ctl.close());
      await ready(ctl);
      const tap = new EventTap(`ipc://${sb.dir}/pub.sock`);
      for (const prefix of prefixes) tap.socket.subscribe(prefix);
      closers.push(() => tap.close());
      await syncTap(tap, ctl, watcher);
      return { ctl, tap };
    },
  };
}
