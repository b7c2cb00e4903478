/**
 * What the benches measure with: a process's CPU time from /proc, order
 * statistics of samples, and the latency of protocol calls.
 */
import { readFileSync } from 'node:fs';
import type { CircusClient } from '../../protocol/client';

/** Clock ticks a second (USER_HZ: 100 on Linux). */
const CLK_TCK = 100;

/** Resolves after `ms` (a measuring window, never a wait for a condition). */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** utime + stime of a pid, in seconds (0 once it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces and parentheses.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** The sample at quantile `q` (0..1) of `samples`. */
export function quantile(samples: readonly number[], q: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))];
}

/** The median of `samples`. */
export const median = (samples: readonly number[]): number => quantile(samples, 0.5);

/** Latency figures of a run of calls, in ms. */
export interface Latency {
  readonly median: number;
  readonly p99: number;
  readonly max: number;
}

/** Times `n` sequential calls of `command` (ms each); an error reply aborts, naming it. */
export async function timeCalls(client: CircusClient, n: number, command: string, props: Record<string, unknown> = {}): Promise<Latency> {
  const samples: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const t0 = process.hrtime.bigint();
    const reply = await client.call(command, props);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (reply.status === 'error') throw new Error(`${command}: ${String(reply.reason)}`);
  }
  return { median: median(samples), p99: quantile(samples, 0.99), max: quantile(samples, 1) };
}
