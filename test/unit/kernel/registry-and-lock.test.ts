import 'reflect-metadata';
import { strict as assert } from 'node:assert';
import { CommandRegistry, ConflictError, ExclusiveLock, MissingPropertyError, NotFoundError } from '../../../kernel';

describe('kernel/arbiter/exclusive-lock (spec 2.17)', () => {
  it('refuses a second operation with "arbiter is already running <name> command"', async () => {
    const lock = new ExclusiveLock();
    let release!: () => void;
    const first = lock.run('reload', () => new Promise<void>((r) => (release = r)));
    await assert.rejects(lock.run('stop', async () => 1), (err: unknown) => {
      assert.ok(err instanceof ConflictError);
      assert.equal(err.code, 'E_CONFLICT');
      assert.equal(err.message, 'arbiter is already running reload command');
      return true;
    });
    const waited = lock.runWhenFree('quit', async () => 'done');
    assert.equal(lock.running, 'reload');
    release();
    await first;
    assert.equal(await waited, 'done');
    assert.equal(lock.running, null);
  });

  it('releases the lock when the task throws', async () => {
    const lock = new ExclusiveLock();
    await assert.rejects(lock.run('x', async () => Promise.reject(new Error('no'))), /no/);
    assert.equal(await lock.run('y', async () => 2), 2);
  });
});

describe('kernel/commands/registry', () => {
  const dummy = (exclusive: boolean) => ({
    name: 'echo',
    properties: ['text'],
    exclusive,
    execute: async (props: Readonly<Record<string, unknown>>) => ({ echoed: props.text }),
  });

  it('runs a registered command after checking required properties', async () => {
    const reg = new CommandRegistry(new ExclusiveLock());
    const sub = reg.register(dummy(false));
    assert.deepEqual(await reg.execute('echo', { text: 'hi' }), { echoed: 'hi' });
    await assert.rejects(reg.execute('echo', {}), MissingPropertyError);
    assert.throws(() => reg.register(dummy(false)), /already exists/);
    assert.deepEqual(reg.names(), ['echo']);
    sub.dispose();
    await assert.rejects(reg.execute('echo', { text: 'x' }), NotFoundError);
  });

  it('exclusive commands take the arbiter lock', async () => {
    const lock = new ExclusiveLock();
    const reg = new CommandRegistry(lock);
    reg.register(dummy(true));
    let release!: () => void;
    const busy = lock.run('reload', () => new Promise<void>((r) => (release = r)));
    await assert.rejects(reg.execute('echo', { text: 'x' }), ConflictError);
    release();
    await busy;
    assert.deepEqual(await reg.execute('echo', { text: 'x' }), { echoed: 'x' });
  });
});
