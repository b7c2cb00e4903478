/**
 * Picks the process sampler for this machine: the /proc reader where
 * /proc exists, pidusage elsewhere. Called once by the cli, which
 * registers the result under the kernel's ProcessSampler token.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { ProcessSampler } from '../../kernel/index';
import { LinuxProcessSampler } from './linux-sampler';
import { PidusageProcessSampler } from './pidusage-sampler';
import { ProcReader } from './proc-reader';

/** `getconf NAME` as a number, or `fallback` when getconf is missing or says nothing useful. */
function getconf(name: string, fallback: number): number {
  try {
    const value = Number(execFileSync('getconf', [name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return Number.isFinite(value) && value > 0 ? value : fallback;
  } catch {
    // Every Linux we know uses 4096-byte pages and 100 ticks per second; getconf is only a check.
    return fallback;
  }
}

/** The sampler for this machine (reads getconf once). */
export function createProcessSampler(procRoot = '/proc'): ProcessSampler {
  if (process.platform === 'linux' && existsSync(`${procRoot}/self/stat`)) {
    return new LinuxProcessSampler({ reader: new ProcReader(procRoot, undefined, getconf('PAGESIZE', 4096)), clockTicks: getconf('CLK_TCK', 100) });
  }
  return new PidusageProcessSampler();
}
