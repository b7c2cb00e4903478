import { CancelledError, ArgumentError, errorMessage } from '../errors';
import { HookName } from '../hooks/hook-runner';
import { CircusProcess } from '../process/process';
import { launchProcess } from './process-launcher';
import { ProcessTable } from './process-table';
import { RestartPolicy } from './restart-policy';
import { WatcherSettings } from './watcher-settings';
import { WatcherServices } from './watcher-types';

/** What the spawn queue needs from its watcher. */
export interface SpawnQueueHost {
  /** True while spawning may go on (watcher starting or active). */
  canSpawn(): boolean;
  /** Aborts on stop: cancels warmups and retry pauses. */
  lifeSignal(): AbortSignal;
  hook(hook: HookName, args: Record<string, unknown>): Promise<boolean>;
  /** A process has just been created: watch its exit. */
  adopt(p: CircusProcess): void;
  /** Kills processes without reaping them (after_spawn refused one). */
  retire(victims: readonly CircusProcess[]): Promise<void>;
}

/**
 * The spawning side of a watcher (spec 2.4.4, 2.7.1 step 4): attempts with
 * max_retry paced by the restart policy, worker ids, warmup delays. Every
 * spawn runs through one chain, so counts and wids never race.
 */
export class SpawnQueue {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly s: WatcherSettings,
    private readonly svc: WatcherServices,
    private readonly table: ProcessTable,
    private readonly policy: RestartPolicy,
    private readonly host: SpawnQueueHost,
  ) {}

  /** Runs `task` after every spawn task queued before it. */
  serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.catch((err: unknown) => {
      this.svc.logger.error(`${this.s.name}: spawning failed: ${errorMessage(err)}`);
    });
    return run;
  }

  /** Resolves once the queued spawn tasks are done. */
  async drained(): Promise<void> {
    await this.chain;
  }

  /** Spawns up to numprocesses, with warmups; false when an attempt series failed. */
  fill(): Promise<boolean> {
    return this.serial(async () => {
      while (this.table.size < this.s.numprocesses && this.host.canSpawn()) {
        const p = await this.spawnOne();
        if (!p) return this.host.lifeSignal().aborted;
        if (!(await this.warmup(p))) return true;
      }
      return true;
    });
  }

  /** Sleeps what is left of warmup_delay after a spawn; false when cancelled. */
  async warmup(p: CircusProcess): Promise<boolean> {
    const left = this.s.warmup_delay - (this.svc.clock.now() - p.started);
    try {
      await this.svc.clock.sleep(left, this.host.lifeSignal());
      return true;
    } catch (err) {
      if (err instanceof CancelledError) return false;
      throw err;
    }
  }

  /**
   * spawn_process of spec 2.4.4: before_spawn, then attempts until one
   * succeeds or max_retry is reached (-1: forever, paced by the policy).
   * Resolves null on failure. Call it inside {@link serial}.
   */
  async spawnOne(): Promise<CircusProcess | null> {
    if (!this.host.canSpawn()) return null;
    if (!(await this.host.hook('before_spawn', {}))) return null;
    for (let attempt = 0; this.s.max_retry === -1 || attempt < this.s.max_retry; attempt += 1) {
      if (this.host.lifeSignal().aborted) return null;
      try {
        const p = await this.create();
        if (!(await this.host.hook('after_spawn', { pid: p.pid }))) {
          // Refused: killed and dropped without a reap (Circus kills it and
          // pops it from the table). Awaited so that the watcher stop which
          // follows never meets it half-killed.
          await this.host.retire([p]);
          return null;
        }
        this.svc.bus.emit('spawn', this.s.name, { process_pid: p.pid, time: p.started });
        return p;
      } catch (err) {
        this.svc.logger.warning(`error in '${this.s.name}': ${errorMessage(err)}`);
        if (this.s.max_retry !== -1 && attempt + 1 >= this.s.max_retry) break;
        try {
          await this.svc.clock.sleep(this.policy.afterFailedAttempt(), this.host.lifeSignal());
        } catch (e) {
          if (e instanceof CancelledError) return null;
          throw e;
        }
      }
    }
    return null;
  }

  private async create(): Promise<CircusProcess> {
    const wid = this.table.reserveWid(this.s.numprocesses);
    if (wid === null) throw new ArgumentError(`no free worker id for watcher '${this.s.name}'`);
    try {
      const p = await launchProcess(this.s, wid, this.svc);
      this.table.add(p);
      this.host.adopt(p);
      return p;
    } finally {
      this.table.releaseWid(wid);
    }
  }
}
