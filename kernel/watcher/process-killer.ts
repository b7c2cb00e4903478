import { Clock } from '../clock';
import { CancelledError } from '../errors';
import { EventBus } from '../event-bus';
import { HookName } from '../hooks/hook-runner';
import { CircusProcess } from '../process/process';
import { ProcessRef, ProcessTree } from '../process/proc-tree';

const SIGKILL = 9;
/** Upper bound of the wait for SIGKILLed descendants to disappear. */
const SIGKILL_SETTLE_SECONDS = 2;

/** Parameters of one graceful kill (spec/daemon.md 2.8). */
export interface KillOptions {
  readonly stopSignal: number;
  /** Seconds between the stop signal and SIGKILL. */
  readonly gracefulTimeout: number;
  /** Also send the stop signal to the direct children. */
  readonly stopChildren: boolean;
  /**
   * Arbiter quit: once the process is gone, SIGKILL its process group and
   * every descendant of the snapshot taken before the first signal.
   */
  readonly killDescendants: boolean;
  /** Aborting skips the rest of the grace period and escalates to SIGKILL. */
  readonly signal?: AbortSignal;
}

/** `removed` once the process is dead; `not removed` when it was already stopping or gone. */
export type KillResult = 'removed' | 'not removed';

/** Runs a hook and tells whether the operation may go on. */
export type HookGate = (hook: HookName, args: Record<string, unknown>) => Promise<boolean>;

/**
 * Graceful kill of one process: stop signal (and to its children with
 * stop_children), event-driven wait for the exit, SIGKILL escalation. On
 * escalation it kills the whole group and every snapshotted descendant
 * (quirk Q16 fixed), so nothing that ignored the stop signal survives.
 */
export class ProcessKiller {
  constructor(
    private readonly watcher: string,
    private readonly bus: EventBus,
    private readonly tree: ProcessTree,
    private readonly clock: Clock,
    private readonly hook: HookGate,
  ) {}

  async kill(proc: CircusProcess, opts: KillOptions): Promise<KillResult> {
    if (proc.stopping || !proc.alive) return 'not removed';
    proc.markStopping();
    const snapshot = await proc.descendants();
    const sent = await this.send(proc, opts.stopSignal);
    if (!sent && !proc.alive) return this.finish(proc, snapshot, opts, 'not removed');
    this.bus.emit('kill', this.watcher, { process_pid: proc.pid, time: this.clock.now() });
    if (opts.stopChildren) {
      for (const child of snapshot.filter((r) => r.ppid === proc.pid)) {
        if (await this.tree.signal(child, opts.stopSignal)) {
          this.bus.emit('kill', this.watcher, { process_pid: child.pid, time: this.clock.now() });
        }
      }
    }
    const deadline = this.clock.monotonic() + opts.gracefulTimeout;
    const exitedInTime = await this.waitExit(proc, opts);
    if (exitedInTime && opts.stopChildren) {
      // The signalled children get the rest of the same grace period; any
      // survivor (and what it started) is then SIGKILLed, so stop_children
      // leaves nothing behind.
      const left = await this.waitGone(snapshot, deadline, opts.signal);
      for (const ref of left) {
        if (await this.tree.signal(ref, SIGKILL)) {
          this.bus.emit('kill', this.watcher, { process_pid: ref.pid, time: this.clock.now() });
        }
      }
      if (left.length > 0) proc.signalGroup(SIGKILL);
      await this.settleKilled(left);
    }
    if (!exitedInTime) {
      await this.send(proc, SIGKILL);
      this.bus.emit('kill', this.watcher, { process_pid: proc.pid, time: this.clock.now() });
      // The escalation reaches every descendant, including ones that have
      // been re-parented since the snapshot.
      const now = await proc.descendants();
      await this.killAll(proc, [...snapshot, ...now]);
      await proc.exited;
    }
    return this.finish(proc, snapshot, opts, 'removed');
  }

  private async finish(proc: CircusProcess, snapshot: ProcessRef[], opts: KillOptions, result: KillResult): Promise<KillResult> {
    await proc.exited;
    if (opts.killDescendants) await this.killAll(proc, snapshot);
    return result;
  }

  private async killAll(proc: CircusProcess, refs: readonly ProcessRef[]): Promise<void> {
    proc.signalGroup(SIGKILL);
    await Promise.all(refs.map((r) => this.tree.signal(r, SIGKILL)));
    await this.settleKilled(refs);
  }

  /**
   * SIGKILL is delivered asynchronously and a big process takes a moment to
   * tear down: wait (bounded) until the killed ones are gone, so a resolved
   * stop really means no descendant is left.
   */
  private async settleKilled(refs: readonly ProcessRef[]): Promise<void> {
    if (refs.length > 0) await this.waitGone(refs, this.clock.monotonic() + SIGKILL_SETTLE_SECONDS);
  }

  /**
   * Waits until every ref is gone or the deadline passes; returns the ones
   * still alive. These are not our children, so no exit event exists for
   * them: this is the one place that polls /proc.
   */
  private async waitGone(refs: readonly ProcessRef[], deadline: number, signal?: AbortSignal): Promise<ProcessRef[]> {
    let left = [...refs];
    for (;;) {
      const states = await Promise.all(left.map((r) => this.tree.alive(r)));
      left = left.filter((_r, i) => states[i]);
      const remaining = deadline - this.clock.monotonic();
      if (left.length === 0 || remaining <= 0 || signal?.aborted) return left;
      try {
        await this.clock.sleep(Math.min(0.05, remaining), signal);
      } catch (err) {
        if (err instanceof CancelledError) return left;
        throw err;
      }
    }
  }

  /** Resolves true when the process exited within the grace period. */
  private async waitExit(proc: CircusProcess, opts: KillOptions): Promise<boolean> {
    if (opts.gracefulTimeout <= 0 || opts.signal?.aborted) return !proc.alive;
    const timer = new AbortController();
    const onAbort = (): void => timer.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await Promise.race([
        proc.exited.then(() => true),
        this.clock.sleep(opts.gracefulTimeout, timer.signal).then(
          () => false,
          (err: unknown) => {
            if (err instanceof CancelledError) return false;
            throw err;
          },
        ),
      ]);
    } finally {
      timer.abort();
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Signals through before_signal/after_signal (spec 2.8); SIGKILL cannot be
   * vetoed. Resolves true when the signal was delivered.
   */
  async send(proc: CircusProcess, signum: number): Promise<boolean> {
    const args = { pid: proc.pid, signum };
    const allowed = await this.hook('before_signal', args);
    const sent = allowed || signum === SIGKILL ? proc.signal(signum) : false;
    await this.hook('after_signal', args);
    return sent;
  }
}
