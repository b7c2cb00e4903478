import { strict as assert } from 'node:assert';
import { StatsBatcher, toStatSample, type BatchTimers } from '../../../../../plugins/httpd/bridge/stats-batcher';
import type { StatSample } from '../../../../../plugins/httpd/bridge/types';
import { decodeStat, encodeStat } from '../../../../../protocol/stats-topics';

/** Timers driven by the test: `advance` runs what is due, in order. */
class ManualTimers implements BatchTimers {
  time = 1_000_000;
  private seq = 0;
  readonly due = new Map<number, { at: number; fn: () => void }>();
  now(): number {
    return this.time;
  }
  set(fn: () => void, ms: number): unknown {
    this.seq += 1;
    this.due.set(this.seq, { at: this.time + ms, fn });
    return this.seq;
  }
  clear(handle: unknown): void {
    this.due.delete(handle as number);
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (let guard = 0; guard < 1000; guard += 1) {
      const next = [...this.due.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (next === undefined || next[1].at > end) break;
      this.due.delete(next[0]);
      this.time = next[1].at;
      next[1].fn();
    }
    this.time = end;
  }
}

const stat = (name: string, sub: number | null, body: object): ReturnType<typeof decodeStat> => {
  const [t, b] = encodeStat(name, sub, body);
  return decodeStat(t, b);
};

const sample = (watcher: string, pid: number | null, cpu = 1): StatSample => ({ watcher, pid, cpu, mem: 0.5, mem_info1: null });

describe('plugins/httpd/bridge: stats samples and batching', () => {
  it('turns a process record into a sample with its figures', () => {
    const s = stat('web', 4242, { mem_info1: '12.30M', mem_info2: '1.00G', cpu: 12.5, mem: 0.25, pid: 4242 });
    assert.deepEqual(toStatSample(s!), { watcher: 'web', pid: 4242, cpu: 12.5, mem: 0.25, mem_info1: '12.30M' });
  });

  it('turns an aggregate into a pid-null sample, and N/A into null', () => {
    assert.deepEqual(toStatSample(stat('web', null, { pid: [1, 2], cpu: 3.5, mem: 'N/A', age: 2 })!), {
      watcher: 'web', pid: null, cpu: 3.5, mem: null, mem_info1: null,
    });
    assert.deepEqual(toStatSample(stat('web', 7, { cpu: 'N/A', mem: 'N/A', mem_info1: 'N/A' })!), {
      watcher: 'web', pid: 7, cpu: null, mem: null, mem_info1: null,
    });
  });

  it('skips socket records and a subtopic that is not a pid', () => {
    assert.equal(toStatSample(stat('sockets', 5, { fd: 5, reads: 1 })!), null);
    assert.equal(toStatSample(stat('sockets', null, { addresses: [], reads: 0 })!), null);
    assert.equal(toStatSample({ watcher: 'web', subtopic: 'abc', body: {} }), null);
  });

  it('maps the wire res_name to the watcher name it is given', () => {
    const s = stat('Busy One', 9, { cpu: 1, mem: 1 });
    assert.equal(s!.watcher, 'busy_one');
    assert.equal(toStatSample(s!, (n) => (n === 'busy_one' ? 'Busy One' : n))!.watcher, 'Busy One');
  });

  it('gathers a burst into one batch, the latest sample of each process winning', () => {
    const timers = new ManualTimers();
    const flushed: { samples: StatSample[]; time: number }[] = [];
    const b = new StatsBatcher((samples, time) => flushed.push({ samples, time }), { timers });
    b.add(sample('web', 1, 1));
    b.add(sample('web', 2, 2));
    b.add(sample('web', 1, 3));
    b.add(sample('web', null, 4));
    timers.advance(49);
    assert.equal(flushed.length, 0, 'still gathering');
    timers.advance(1);
    assert.equal(flushed.length, 1);
    assert.deepEqual(flushed[0].samples.map((s) => [s.pid, s.cpu]), [[1, 3], [2, 2], [null, 4]]);
    assert.equal(flushed[0].time, timers.time / 1000);
  });

  it('keeps at least the interval between two flushes', () => {
    const timers = new ManualTimers();
    const at: number[] = [];
    const b = new StatsBatcher(() => at.push(timers.now()), { timers, intervalMs: 250, gatherMs: 50 });
    for (let i = 0; i < 40; i += 1) {
      b.add(sample('web', i % 3));
      timers.advance(25);
    }
    timers.advance(1000);
    assert.ok(at.length >= 3, `flushed ${at.length} times`);
    for (let i = 1; i < at.length; i += 1) assert.ok(at[i] - at[i - 1] >= 250, `gap ${at[i] - at[i - 1]}`);
  });

  it('flushes nothing after close and leaves no timer', () => {
    const timers = new ManualTimers();
    let flushes = 0;
    const b = new StatsBatcher(() => (flushes += 1), { timers });
    b.add(sample('web', 1));
    b.close();
    assert.equal(timers.due.size, 0);
    b.add(sample('web', 1));
    timers.advance(1000);
    assert.equal(flushes, 0);
    assert.equal(timers.due.size, 0);
  });
});
