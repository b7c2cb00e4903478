import 'reflect-metadata';
import { strict as assert } from 'node:assert';
import { answered, CommandRegistry, ConflictError, ExclusiveLock, MissingPropertyError, NotFoundError, started } from '../../../kernel';

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
  const echo = {
    name: 'echo',
    properties: ['text'],
    execute: async (props: Readonly<Record<string, unknown>>) => answered({ echoed: props.text }),
  };

  it('runs a registered command after checking required properties', async () => {
    const reg = new CommandRegistry(new ExclusiveLock());
    const sub = reg.register(echo);
    assert.deepEqual(await reg.execute('echo', { text: 'hi' }), { echoed: 'hi' });
    assert.deepEqual(await reg.invoke('echo', { text: 'hi' }), { value: { echoed: 'hi' } });
    await assert.rejects(reg.execute('echo', {}), MissingPropertyError);
    assert.throws(() => reg.register(echo), /already exists/);
    assert.deepEqual(reg.names(), ['echo']);
    sub.dispose();
    await assert.rejects(reg.execute('echo', { text: 'x' }), NotFoundError);
  });

  it('a background command answers before its work ends; execute waits for the work', async () => {
    const reg = new CommandRegistry(new ExclusiveLock());
    let finish!: (v: string) => void;
    const work = new Promise<string>((r) => (finish = r));
    reg.register({ name: 'slow', properties: [], execute: async () => started(work) });
    const outcome = await reg.invoke('slow');
    assert.ok('background' in outcome);
    const waited = reg.execute('slow');
    finish('done');
    assert.equal(await waited, 'done');
  });

  it('a command that takes the lock is refused with ConflictError while another holds it', async () => {
    const lock = new ExclusiveLock();
    const reg = new CommandRegistry(lock);
    reg.register({ name: 'locked', properties: [], execute: () => lock.run('watcher_stop', async () => answered('ran')) });
    let release!: () => void;
    const busy = lock.run('arbiter_reload', () => new Promise<void>((r) => (release = r)));
    await assert.rejects(reg.execute('locked'), /arbiter is already running arbiter_reload command/);
    release();
    await busy;
    assert.equal(await reg.execute('locked'), 'ran');
  });
});
