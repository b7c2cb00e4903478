import { strict as assert } from 'node:assert';
import { readFileSync, readlinkSync, realpathSync } from 'node:fs';
import * as os from 'node:os';
import { ArgumentError } from '../../../../kernel';
import { Bench, fixture, waitFor } from './helpers';

/** The real uid and gid of a live process, from /proc. */
function idsOf(pid: number): { uid: number; gid: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
  return { uid: field('Uid'), gid: field('Gid') };
}

/** idsOf once the process runs node (before, it is setpriv, still root, then bash: both exec on). */
async function runningIds(pid: number): Promise<{ uid: number; gid: number }> {
  const node = realpathSync(process.execPath);
  await waitFor(`pid ${pid} to exec node`, () => readlinkSync(`/proc/${pid}/exe`) === node);
  return idsOf(pid);
}

/**
 * The endpoint_owner rules of add and set (plugins/commands/endpoint-owner.ts,
 * spec/protocol.md 2.1 and 6.2): through the real registry, with real
 * processes. The owner is `nobody` (uid and primary gid 65534), so the
 * tests that run processes as another user need root (CI runs as root).
 */
describe('commands plugin: endpoint_owner rules of add and set', function () {
  this.timeout(30000);
  let b: Bench;
  const OWNER = 'nobody';

  beforeEach(() => {
    b = new Bench();
  });

  afterEach(async () => {
    assert.deepEqual(await b.close(), [], 'no process may outlive the test');
  });

  function ipc(): { endpoint: string; endpoint_owner: string } {
    return { endpoint: `ipc://${b.tmp}/ctl.sock`, endpoint_owner: OWNER };
  }

  function needRoot(ctx: Mocha.Context): void {
    if (process.getuid?.() !== 0) ctx.skip();
  }

  /** What must not move when a set is refused: the options and the pids of each watcher. */
  function snapshot(): string {
    return JSON.stringify(b.a.watchers.map((w) => [w.name, w.options(), [...w.pids]]));
  }

  it('set of uid or gid is refused unless it is endpoint_owner or its primary group; nothing changes', async function () {
    needRoot(this);
    await b.start({ ...ipc(), watchers: [b.sleeper('rootw'), b.sleeper('mine', { uid: OWNER })] });
    await waitFor('both watchers running', () => b.a.watchers.every((w) => w.pids.length === 1));
    const before = snapshot();
    const uid = 'uid does not match endpoint_owner';
    const gid = 'gid does not match the primary group of endpoint_owner';
    await b.fails('set', { name: 'rootw', options: { uid: 'root' } }, ArgumentError, uid);
    await b.fails('set', { name: 'mine', options: { uid: 65534 } }, ArgumentError, uid);
    await b.fails('set', { name: 'mine', options: { uid: 'daemon', numprocesses: 2 } }, ArgumentError, uid);
    await b.fails('set', { name: 'mine', options: { gid: 'root' } }, ArgumentError, gid);
    await b.fails('set', { name: 'mine', options: { gid: 0 } }, ArgumentError, gid);
    await b.fails('set', { name: 'mine', options: { gid: 'no-such-group-xyz' } }, ArgumentError, gid);
    await b.fails('set', { name: 'rootw', options: { uid: OWNER, gid: 'daemon' } }, ArgumentError, gid);
    assert.equal(snapshot(), before);
    assert.deepEqual(await b.waited('set', { name: 'mine', options: { gid: 'nogroup' } }), {});
    assert.deepEqual(await b.waited('set', { name: 'mine', options: { gid: 65534 } }), {});
    await waitFor('mine to run again', () => b.a.getWatcher('mine').pids.length === 1);
    assert.deepEqual(await runningIds(b.a.getWatcher('mine').pids[0]), { uid: 65534, gid: 65534 });
  });

  it('set of cmd, args, env, working_dir or shell is refused on a watcher that does not run as endpoint_owner', async function () {
    needRoot(this);
    await b.start({ ...ipc(), watchers: [b.sleeper('rootw'), b.sleeper('mine', { uid: OWNER }), b.sleeper('mixed', { uid: OWNER, gid: 'daemon' })] });
    await waitFor('three watchers running', () => b.a.watchers.every((w) => w.pids.length === 1));
    const before = snapshot();
    const args = [fixture('sleeper.js'), b.tmp, 'changed'];
    const cases: [string, Record<string, unknown>, string][] = [
      ['rootw', { args }, 'args'],
      ['rootw', { cmd: '/bin/sh' }, 'cmd'],
      ['rootw', { env: { LD_PRELOAD: '/tmp/evil.so' } }, 'env'],
      ['rootw', { working_dir: '/tmp' }, 'working_dir'],
      ['rootw', { shell: true }, 'shell'],
      ['rootw', { numprocesses: 1, args }, 'args'],
      ['mixed', { args }, 'args'],
      ['mixed', { args, gid: 'root' }, 'gid'],
    ];
    for (const [name, options, key] of cases) {
      const reason = key === 'gid' ? 'gid does not match the primary group of endpoint_owner' : `${key} cannot be changed: watcher '${name}' does not run as endpoint_owner`;
      await b.fails('set', { name, options }, ArgumentError, reason);
    }
    assert.equal(snapshot(), before);
    assert.ok(b.a.getWatcher('rootw').pids.every((p) => idsOf(p).uid === 0));
  });

  it('set of args on a watcher run as endpoint_owner (or made so in the same set) reloads it as that user', async function () {
    needRoot(this);
    await b.start({ ...ipc(), watchers: [b.sleeper('rootw'), b.sleeper('mine', { uid: '65534' })] });
    await waitFor('both watchers running', () => b.a.watchers.every((w) => w.pids.length === 1));
    const old = [...b.a.getWatcher('mine').pids, ...b.a.getWatcher('rootw').pids];
    await b.waited('set', { name: 'mine', options: { args: [fixture('sleeper.js'), b.tmp, 'mine2'], env: { A: '1' } } });
    await b.waited('set', { name: 'rootw', options: { uid: OWNER, args: [fixture('sleeper.js'), b.tmp, 'rootw2'] } });
    for (const name of ['mine', 'rootw']) {
      const pids = await waitFor(`${name} to run again`, () => {
        const p = b.a.getWatcher(name).pids;
        return p.length === 1 && !old.includes(p[0]) ? p : undefined;
      });
      assert.deepEqual(await runningIds(pids[0]), { uid: 65534, gid: 65534 }, name);
    }
  });

  it('hooks and output streams are refused in add and set (circusd itself would load or open them)', async function () {
    needRoot(this);
    await b.start({ ...ipc(), watchers: [b.sleeper('mine', { uid: OWNER })] });
    const before = snapshot();
    const why = 'is not allowed with endpoint_owner: circusd itself would load or open it';
    const file = { class: 'FileStream', filename: '/etc/circus-ts-must-not-exist' };
    await b.fails('set', { name: 'mine', options: { hooks: { before_start: `${b.tmp}/evil.js:run` } } }, ArgumentError, `hooks ${why}`);
    await b.fails('set', { name: 'mine', options: { 'hooks.after_start': `${b.tmp}/evil.js:run` } }, ArgumentError, `hooks.after_start ${why}`);
    await b.fails('set', { name: 'mine', options: { stdout_stream: file } }, ArgumentError, `stdout_stream ${why}`);
    await b.fails('set', { name: 'mine', options: { 'stderr_stream.filename': '/etc/x' } }, ArgumentError, `stderr_stream.filename ${why}`);
    await b.fails('add', { name: 'new', cmd: 'x', options: { uid: OWNER, stdout_stream: file } }, ArgumentError, `stdout_stream ${why}`);
    await b.fails('add', { name: 'new', cmd: 'x', options: { uid: OWNER, hooks: { after_stop: 'x:y' } } }, ArgumentError, `hooks ${why}`);
    await b.fails('add', { name: 'new', cmd: 'x', options: { uid: OWNER, gid: 'root' } }, ArgumentError, 'gid does not match the primary group of endpoint_owner');
    assert.equal(snapshot(), before);
    assert.equal(b.a.find('new'), undefined);
  });

  it('add keeps its rule: uid exactly endpoint_owner; then it runs as that user', async function () {
    needRoot(this);
    await b.start({ ...ipc(), watchers: [] });
    const cmd = `${process.execPath} ${fixture('sleeper.js')} ${b.tmp} added`;
    await b.fails('add', { name: 'a', cmd }, ArgumentError, 'uid does not match endpoint_owner');
    await b.fails('add', { name: 'a', cmd, options: { uid: 65534 } }, ArgumentError, 'uid does not match endpoint_owner');
    const res = (await b.waited('add', { name: 'a', cmd, start: true, options: { uid: OWNER, gid: 'nogroup' } })) as { started: number[] };
    assert.equal(res.started.length, 1);
    assert.deepEqual(await runningIds(res.started[0]), { uid: 65534, gid: 65534 });
  });

  it('the rules are off on a tcp endpoint (endpoint_owner only guards an ipc socket file), as for add', async () => {
    const me = os.userInfo().username;
    await b.start({ watchers: [b.sleeper('web')], endpoint: 'tcp://127.0.0.1:5555', endpoint_owner: me });
    assert.deepEqual(await b.waited('set', { name: 'web', options: { args: [fixture('sleeper.js'), b.tmp, 'web2'] } }), {});
    assert.deepEqual(await b.answer('add', { name: 'a', cmd: 'x' }), {});
  });
});
