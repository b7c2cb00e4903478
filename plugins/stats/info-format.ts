/**
 * Turns what a reader found into Circus's process info record
 * (spec/protocol.md 2.0): sizes in binary units, memory percent with 3
 * decimals, CPU percent rounded to 1 decimal as psutil does, "N/A" for
 * everything that could not be read.
 */
import * as path from 'node:path';
import type { ProcessInfo } from '../../kernel/index';
import { bytes2human, formatCtime } from '../../protocol/stats-topics';

/** Circus's text for a field it was denied. */
export const NA = 'N/A';

/** Base name of the first word of argv[0]: what Circus shows as `cmdline`. */
export function commandName(cmdline: string | null): string {
  if (cmdline === null) return NA;
  const argv0 = cmdline.split('\0')[0] ?? '';
  const first = argv0.trim().split(/\s+/)[0] ?? '';
  return first === '' ? NA : path.basename(first);
}

/** RSS as a percent of physical memory, 3 decimals. */
export function memPercent(rss: number | null, total: number): number | string {
  return rss === null || total <= 0 ? NA : Math.round((rss / total) * 100 * 1000) / 1000;
}

/** What the record is built from (one reader's view of one process at `now`). */
export interface InfoParts {
  pid: number;
  cpu: number | string;
  rss: number | null;
  vms: number | null;
  /** Total CPU seconds, null when unreadable. */
  cpuSeconds: number | null;
  username: string | null;
  nice: number | string | null;
  createTime: number | null;
  cmdline: string;
  now: number;
  totalMem: number;
}

/** The record, every field present ("N/A" when unknown), `children` empty. */
export function buildInfo(p: InfoParts): ProcessInfo {
  return {
    mem_info1: p.rss === null ? NA : bytes2human(p.rss),
    mem_info2: p.vms === null ? NA : bytes2human(p.vms),
    cpu: p.cpu,
    mem: memPercent(p.rss, p.totalMem),
    ctime: p.cpuSeconds === null ? NA : formatCtime(p.cpuSeconds),
    pid: p.pid,
    username: p.username ?? NA,
    nice: p.nice ?? NA,
    create_time: p.createTime ?? NA,
    age: p.createTime === null ? NA : Math.max(0, p.now - p.createTime),
    cmdline: p.cmdline,
    children: [],
  };
}
