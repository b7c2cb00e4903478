import { CancelledError, ChildHandle, Clock, ExitStatus, Identity, ProcessRef, ProcessTree, SpawnSpec, Spawner } from '../../../kernel';

/** A clock that only moves when the test says so. */
export class FakeClock implements Clock {
  private t = 1000;
  private readonly timers: { at: number; resolve: () => void }[] = [];

  now(): number {
    return this.t;
  }

  monotonic(): number {
    return this.t;
  }

  sleep(seconds: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new CancelledError('wait'));
    if (seconds <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = { at: this.t + seconds, resolve };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers.splice(this.timers.indexOf(timer), 1);
          reject(new CancelledError('wait'));
        },
        { once: true },
      );
    });
  }

  /** Pending sleeps, for assertions. */
  get pending(): number[] {
    return this.timers.map((t) => Math.round((t.at - this.t) * 1e6) / 1e6);
  }

  /** Moves time forward, waking due sleepers, and lets promises settle. */
  async advance(seconds: number): Promise<void> {
    this.t += seconds;
    for (const timer of [...this.timers].sort((a, b) => a.at - b.at)) {
      if (timer.at <= this.t) {
        this.timers.splice(this.timers.indexOf(timer), 1);
        timer.resolve();
      }
    }
    await settle();
  }
}

/** Lets queued promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await new Promise((r) => setImmediate(r));
}

/** A child that exists only in memory; the test decides when it exits. */
export class FakeChild implements ChildHandle {
  readonly exited: Promise<ExitStatus>;
  readonly stdout = null;
  readonly stderr = null;
  readonly signals: number[] = [];
  private resolveExit!: (s: ExitStatus) => void;
  private done = false;

  constructor(readonly pid: number, readonly spec: SpawnSpec, private readonly dieOn: ReadonlySet<number>) {
    this.exited = new Promise((r) => (this.resolveExit = r));
  }

  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    if (this.done) return;
    this.done = true;
    this.resolveExit({ code, signal });
  }

  kill(signum: number): boolean {
    if (this.done) return false;
    this.signals.push(signum);
    if (this.dieOn.has(signum)) this.exit(null, signum === 9 ? 'SIGKILL' : 'SIGTERM');
    return true;
  }

  killGroup(signum: number): boolean {
    return this.kill(signum);
  }
}

/** Records every spawn; can be told to fail. */
export class FakeSpawner implements Spawner {
  readonly children: FakeChild[] = [];
  failWith: string | null = null;
  dieOn: Set<number> = new Set([15, 9]);
  private nextPid = 50000;

  resolveIdentity(uid: string | null, gid: string | null): Promise<Identity> {
    return Promise.resolve({ uid: uid === null ? null : Number(uid), gid: gid === null ? null : Number(gid), user: uid });
  }

  spawn(spec: SpawnSpec): Promise<ChildHandle> {
    if (this.failWith) return Promise.reject(new Error(this.failWith));
    const child = new FakeChild((this.nextPid += 1), spec, this.dieOn);
    this.children.push(child);
    return Promise.resolve(child);
  }

  get live(): FakeChild[] {
    return this.children.filter((c) => c.signals.length === 0 || !c.signals.some((s) => this.dieOn.has(s)));
  }
}

/** A process tree with no descendants at all. */
export class EmptyTree implements ProcessTree {
  children(): Promise<ProcessRef[]> {
    return Promise.resolve([]);
  }
  descendants(): Promise<ProcessRef[]> {
    return Promise.resolve([]);
  }
  alive(): Promise<boolean> {
    return Promise.resolve(false);
  }
  signal(): Promise<boolean> {
    return Promise.resolve(false);
  }
}
