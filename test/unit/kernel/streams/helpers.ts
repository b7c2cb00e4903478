import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { StreamContext, StreamRecord } from '../../../../kernel';

/** A stream context with a settable clock, a fixed random value and a captured console. */
export function fakeContext(nowMs: number, random = 0): StreamContext & { out: string[]; set(ms: number): void } {
  let now = nowMs;
  const out: string[] = [];
  return {
    out,
    now: () => now,
    set: (ms: number) => {
      now = ms;
    },
    random: () => random,
    console: {
      write: (chunk: string) => {
        out.push(chunk);
        return true;
      },
      once: () => undefined,
    },
  };
}

export function rec(text: string, pid = 333, name: 'stdout' | 'stderr' = 'stdout'): StreamRecord {
  return { data: Buffer.from(text, 'utf8'), pid, name };
}

/** A fresh temp dir, removed by the returned function. */
export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'circus-streams-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
