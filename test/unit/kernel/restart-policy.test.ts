import { strict as assert } from 'node:assert';
import { BackoffRestartPolicy, DEFAULT_RESTART_POLICY } from '../../../kernel';

describe('kernel/watcher/restart-policy', () => {
  it('replaces a process that lived long enough at once, every time', () => {
    const p = new BackoffRestartPolicy(DEFAULT_RESTART_POLICY);
    for (let i = 0; i < 5; i += 1) assert.equal(p.afterExit(5), 0);
  });

  it('the first young death is free; then 0.1 s doubling, capped at the max', () => {
    const p = new BackoffRestartPolicy(DEFAULT_RESTART_POLICY);
    const delays = Array.from({ length: 12 }, () => p.afterExit(0.01));
    assert.deepEqual(delays.slice(0, 6), [0, 0.1, 0.2, 0.4, 0.8, 1.6]);
    assert.equal(delays[11], 30);
    assert.ok(delays.every((d, i) => i === 0 || d >= delays[i - 1]));
  });

  it('a long life resets the backoff; reset() too', () => {
    const p = new BackoffRestartPolicy(DEFAULT_RESTART_POLICY);
    p.afterExit(0);
    p.afterExit(0);
    assert.equal(p.afterExit(0), 0.2);
    assert.equal(p.afterExit(2), 0);
    assert.equal(p.afterExit(0), 0);
    assert.equal(p.afterExit(0), 0.1);
    p.reset();
    assert.equal(p.afterExit(0), 0);
  });

  it('failed attempts share the same pacing and settings are honoured', () => {
    const p = new BackoffRestartPolicy({ minDelay: 1, maxDelay: 3, minUptime: 10, freeFailures: 2 });
    assert.deepEqual([p.afterFailedAttempt(), p.afterFailedAttempt(), p.afterFailedAttempt(), p.afterExit(9), p.afterExit(9)], [0, 0, 1, 2, 3]);
    assert.equal(p.afterExit(10), 0);
  });
});
