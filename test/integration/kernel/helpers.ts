import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AnyCircusEvent, Arbiter } from '../../../kernel';
import { MemoryLogger } from '../../support/memory-logger';
export { MemoryLogger };

/** The repository root: the first ancestor of this file holding package.json. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test directory');
    dir = up;
  }
  return dir;
}

/** Absolute path of a fixture program. */
export function fixture(name: string): string {
  return path.join(repoRoot(), 'test/fixtures/programs', name);
}

/** A fresh temp dir; its path doubles as the leak-check marker in every child argv. */
export function makeTmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'circus-kernel-'));
}

/** Polls `check` every 10 ms until truthy or `timeoutMs` passes (then throws). */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 5000,
): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, false | null | undefined | 0 | ''>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Pids of live (non-zombie) processes whose command line contains `marker`. */
export function processesWith(marker: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (!cmdline.includes(marker)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z') out.push(Number(name));
    } catch {
      // Gone while scanning.
    }
  }
  return out;
}

/** True while the pid exists and is not a zombie. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Test teardown: stops the arbiter, then reports (and kills) any process
 * still carrying the marker, and removes the temp dir.
 */
export async function cleanup(arbiter: Arbiter | null, tmp: string): Promise<number[]> {
  if (arbiter) await arbiter.stop();
  const left = processesWith(tmp);
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  return left;
}

/** Records every bus event with the local receive time (ms). */
export function recordEvents(arbiter: Arbiter): (AnyCircusEvent & { at: number })[] {
  const events: (AnyCircusEvent & { at: number })[] = [];
  arbiter.bus.onAny((e) => events.push({ ...e, at: Date.now() }));
  return events;
}

/** Reads a JSON report written by report.js / forker.js. */
export function readJson<T = Record<string, unknown>>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** The process_pid of an event payload (kill, spawn, reap), or undefined. */
export function pidOf(event: { payload: unknown }): number | undefined {
  return (event.payload as { process_pid?: number }).process_pid;
}

/** The per-test state of a kernel suite (see {@link kernelRig}). */
export interface KernelRig {
  /** This test's temp dir, also the leak-check marker in every child argv. */
  readonly tmp: string;
  /** The arbiter under test: set it, and the rig stops it after the test. */
  arbiter: Arbiter | null;
  /** This test's logger. */
  readonly logger: MemoryLogger;
  /** A path in this test's temp dir. */
  file(name: string): string;
}

/**
 * Registers the hooks of a kernel suite: before each test a fresh temp dir
 * and logger and no arbiter; after it, {@link cleanup}, failing the test if
 * a fixture process outlived it.
 */
export function kernelRig(): KernelRig {
  let tmp: string | null = null;
  let logger = new MemoryLogger();
  const rig: KernelRig = {
    get tmp(): string {
      if (tmp === null) throw new Error('the kernel rig has a temp dir only inside a test');
      return tmp;
    },
    arbiter: null,
    get logger(): MemoryLogger {
      return logger;
    },
    file: (name) => path.join(rig.tmp, name),
  };
  beforeEach(() => {
    tmp = makeTmp();
    logger = new MemoryLogger();
    rig.arbiter = null;
  });
  afterEach(async () => {
    if (tmp === null) return;
    const left = await cleanup(rig.arbiter, tmp);
    tmp = null;
    rig.arbiter = null;
    if (left.length > 0) throw new Error(`fixture processes outlived the test (killed now): ${left.join(', ')}`);
  });
  return rig;
}
