import { strict as assert } from 'node:assert';
import { ConflictError, ExclusiveLock } from '../../../kernel';

describe('ExclusiveLock.acquire / hold', () => {
  it('acquire throws synchronously when taken; release is idempotent and wakes waiters', async () => {
    const lock = new ExclusiveLock();
    const release = lock.acquire('watcher_stop');
    assert.throws(() => lock.acquire('watcher_start'), (e: unknown) => e instanceof ConflictError && e.message === 'arbiter is already running watcher_stop command');
    const waited = lock.runWhenFree('arbiter_stop', async () => 'ran');
    release();
    release();
    assert.equal(await waited, 'ran');
    assert.equal(lock.running, null);
  });

  it('a holder with a conflict text (full restart) makes others read it', () => {
    const lock = new ExclusiveLock();
    const release = lock.acquire('arbiter_restart', 'arbiter is restarting...');
    assert.throws(() => lock.acquire('x'), /^ConflictError: arbiter is restarting\.\.\.$/);
    release();
    lock.acquire('y')();
  });

  it('hold takes the lock now and releases it when the work settles, failure included', async () => {
    const lock = new ExclusiveLock();
    let finish!: () => void;
    const work = lock.hold('watcher_incr', () => new Promise<void>((r) => (finish = r)));
    assert.equal(lock.running, 'watcher_incr');
    assert.throws(() => lock.hold('other', async () => 1), ConflictError);
    finish();
    await work;
    assert.equal(lock.running, null);
    await assert.rejects(lock.hold('bad', async () => Promise.reject(new Error('no'))), /no/);
    assert.equal(lock.running, null);
  });
});
