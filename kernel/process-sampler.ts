/**
 * The process sampler: CPU, memory and identity of processes, as the
 * `stats`/`dstats` commands and the stats streamer report them
 * (spec/protocol.md 2.0, spec/daemon.md 6.4.1). The kernel only names the
 * contract; the implementation (a /proc reader on Linux, pidusage
 * elsewhere) lives in plugins/stats and is registered by the cli, so the
 * commands plugin and the stats plugin share one sampler, and one CPU
 * baseline per pid, without importing each other.
 */

/** One process as Circus prints it; "N/A" where the value could not be read. */
export interface ProcessInfo {
  mem_info1: string;
  mem_info2: string;
  cpu: number | string;
  mem: number | string;
  ctime: string;
  pid: number;
  username: string;
  nice: number | string;
  create_time: number | string;
  age: number | string;
  cmdline: string;
  children: (ProcessInfo | string)[];
  started?: number;
  wid?: number;
}

/** The shared sampler (DI token of the same name). */
export interface ProcessSampler {
  /**
   * Samples `pid` now: CPU percent since the previous sample of that pid
   * (0.0 the first time). Resolves with null when the process is gone
   * (ENOENT); unreadable fields (EACCES) are "N/A". Never rejects for a
   * vanished or forbidden process.
   */
  info(pid: number): Promise<ProcessInfo | null>;
  /** {@link info} of many pids in one pass (the streamer's tick); missing pids are absent from the map. */
  sample(pids: readonly number[]): Promise<Map<number, ProcessInfo>>;
  /** circusd's own record (`dstats`): CPU measured over 10 ms, as Circus does. */
  self(): Promise<ProcessInfo>;
  /**
   * Direct children of `pid` (pids), empty when it has none or is gone;
   * null when this sampler cannot tell (the caller asks the ProcessTree).
   */
  children(pid: number): Promise<number[] | null>;
  /** Forgets the CPU baseline of every pid not in `pids` (and not circusd). */
  retain(pids: Iterable<number>): void;
}
export const ProcessSampler = Symbol('ProcessSampler');
