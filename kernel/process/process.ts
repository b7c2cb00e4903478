import { ChildHandle, exitCodeOf } from './spawner';
import { ProcessRef, ProcessTree } from './proc-tree';

/** How a process ended. */
export interface ExitInfo {
  /** Exit status, or -N when killed by signal N (spec 2.9). */
  readonly exit_code: number;
  /** Node's signal name when killed by a signal. */
  readonly signal: NodeJS.Signals | null;
  /** Epoch seconds when the exit was seen. */
  readonly time: number;
}

/** Life-cycle of one child as the watcher sees it. */
export type ProcessStatus = 'running' | 'stopping' | 'exited';

/** Read-only view of a process, for plugins and embedders. */
export interface ProcessView {
  readonly pid: number;
  readonly wid: number;
  /** Epoch seconds, taken just before spawning. */
  readonly started: number;
  readonly status: ProcessStatus;
  readonly argv: readonly string[];
}

/**
 * One supervised child: pid, wid, start time, status, signals, and its
 * descendants. `exited` settles exactly once, whatever the cause.
 */
export class CircusProcess implements ProcessView {
  readonly exited: Promise<ExitInfo>;
  private state: ProcessStatus = 'running';
  private exitInfo: ExitInfo | null = null;
  private stopRequested = false;

  constructor(
    private readonly handle: ChildHandle,
    readonly wid: number,
    /** Epoch seconds. */
    readonly started: number,
    /** Monotonic seconds, for ages. */
    readonly startedMonotonic: number,
    readonly argv: readonly string[],
    private readonly tree: ProcessTree,
    now: () => number,
  ) {
    this.exited = handle.exited.then((status) => {
      this.state = 'exited';
      this.exitInfo = { exit_code: exitCodeOf(status), signal: status.signal, time: now() };
      return this.exitInfo;
    });
  }

  get pid(): number {
    return this.handle.pid;
  }

  get status(): ProcessStatus {
    return this.state;
  }

  /** True between spawn and exit. */
  get alive(): boolean {
    return this.state !== 'exited';
  }

  /** True once a graceful kill has started (stays true after the exit). */
  get stopping(): boolean {
    return this.stopRequested;
  }

  /** Exit details once exited, else null. */
  get exit(): ExitInfo | null {
    return this.exitInfo;
  }

  /** Marks the process as being stopped, so its exit is not treated as a crash. */
  markStopping(): void {
    this.stopRequested = true;
    if (this.state === 'running') this.state = 'stopping';
  }

  /** Sends a signal; false when the process is gone. */
  signal(signum: number): boolean {
    return this.handle.kill(signum);
  }

  /** Signals the process group (the child leads its own session). */
  signalGroup(signum: number): boolean {
    return this.handle.killGroup(signum);
  }

  /** Direct children right now. */
  children(): Promise<ProcessRef[]> {
    return this.tree.children(this.pid);
  }

  /** Every descendant right now. */
  descendants(): Promise<ProcessRef[]> {
    return this.tree.descendants(this.pid);
  }

  /** Stdout pipe when a stream was configured. */
  get stdout(): ChildHandle['stdout'] {
    return this.handle.stdout;
  }

  get stderr(): ChildHandle['stderr'] {
    return this.handle.stderr;
  }
}
