/**
 * The process sampler where /proc is absent (macOS, the BSDs): pidusage
 * gives CPU percent, RSS, CPU time and elapsed time; what it cannot give
 * (VMS, user, nice) is "N/A", as Circus prints for a denied field.
 */
import * as os from 'node:os';
import type { ProcessInfo, ProcessSampler } from '../../kernel/index';
import { buildInfo } from './info-format';

/** pidusage's per-pid result (it ships no types). */
interface PidusageStat {
  cpu: number;
  memory: number;
  ctime: number;
  elapsed: number;
  timestamp: number;
}
type Pidusage = ((pid: number) => Promise<PidusageStat>) & { clear(): void };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pidusage = require('pidusage') as Pidusage;

/** {@link ProcessSampler} through pidusage (`ps` underneath). */
export class PidusageProcessSampler implements ProcessSampler {
  private readonly seen = new Set<number>();

  async info(pid: number): Promise<ProcessInfo | null> {
    let stat: PidusageStat;
    try {
      stat = await pidusage(pid);
    } catch (err) {
      // pidusage reports a vanished pid as an error: that is "gone", not a failure of the sampler.
      if (/no matching pid|ENOENT|ESRCH|not found/i.test(String((err as Error)?.message ?? err))) return null;
      throw err;
    }
    const first = !this.seen.has(pid);
    this.seen.add(pid);
    const now = Date.now() / 1000;
    return buildInfo({
      pid,
      cpu: first ? 0.0 : Math.round(stat.cpu * 10) / 10,
      rss: stat.memory,
      vms: null,
      cpuSeconds: stat.ctime / 1000,
      username: null,
      nice: null,
      createTime: now - stat.elapsed / 1000,
      cmdline: 'N/A',
      now,
      totalMem: os.totalmem(),
    });
  }

  async sample(pids: readonly number[]): Promise<Map<number, ProcessInfo>> {
    const out = new Map<number, ProcessInfo>();
    const infos = await Promise.all(pids.map((pid) => this.info(pid)));
    pids.forEach((pid, i) => {
      const info = infos[i];
      if (info) out.set(pid, info);
    });
    return out;
  }

  async self(): Promise<ProcessInfo> {
    await this.info(process.pid);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const info = await this.info(process.pid);
    if (!info) throw new Error(`pidusage cannot see circusd's own process ${process.pid}`);
    return info;
  }

  async children(): Promise<null> {
    // Without /proc the kernel's ProcessTree (`ps`) is the source: null sends the caller there.
    return null;
  }

  retain(pids: Iterable<number>): void {
    const keep = new Set(pids);
    keep.add(process.pid);
    for (const pid of [...this.seen]) if (!keep.has(pid)) this.seen.delete(pid);
  }
}
