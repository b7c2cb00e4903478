import { strict as assert } from 'node:assert';
import { mkdtempSync, readlinkSync, rmSync, statSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { SocketRecord } from '../../../../config/model';
import { MemoryLogger } from '../../../support/memory-logger';
import { CircusSockets, SocketError } from '../../../../kernel';
import { getIntOption, isCloseOnExec, O_NONBLOCK, SO_REUSEPORT, SOL_SOCKET, statusFlags } from '../../../../kernel/sockets/libc';

function rec(name: string, keys: Record<string, string> = {}, typed: Partial<Record<'so_reuseport' | 'replace', boolean>> = {}): SocketRecord {
  return { name, __name__: `socket:${name}`, so_reuseport: false, replace: false, ...typed, ...keys };
}


describe('kernel sockets: the CircusSockets registry (real descriptors)', () => {
  let registry: CircusSockets | null = null;
  let tmp: string;

  beforeEach(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'circus-sockets-'));
  });

  afterEach(() => {
    registry?.closeAll();
    registry = null;
    rmSync(tmp, { recursive: true, force: true });
  });

  async function started(records: SocketRecord[], logger = new MemoryLogger()): Promise<CircusSockets> {
    registry = new CircusSockets(logger);
    registry.load(records);
    await registry.start();
    return registry;
  }

  it('binds localhost:0 to 127.0.0.1 and a real port; close-on-exec in circusd, non-blocking by default', async () => {
    const logger = new MemoryLogger();
    const r = await started([rec('web', { port: '0' })], logger);
    const s = r.get('WEB')!;
    assert.equal(s.host, '127.0.0.1');
    assert.ok(s.port! > 0);
    assert.equal(isCloseOnExec(s.fd), true);
    assert.equal(statusFlags(s.fd) & O_NONBLOCK, O_NONBLOCK);
    assert.deepEqual(logger.notices, ['INFO sockets started']);
    assert.equal(s.location, `127.0.0.1:${s.port}`);
  });

  it('fds follow the name order', async () => {
    const r = await started([rec('zeta', { host: '127.0.0.1', port: '0' }), rec('alpha', { host: '127.0.0.1', port: '0' })]);
    const [a, z] = r.list();
    assert.deepEqual([a.name, z.name], ['alpha', 'zeta']);
    assert.ok(a.fd < z.fd);
  });

  it('polls readability without accepting: a pending connection stays pending', async () => {
    const r = await started([rec('web', { host: '127.0.0.1', port: '0' })]);
    assert.equal(r.anyReadable(), false);
    const client = net.connect(r.get('web')!.port!, '127.0.0.1');
    try {
      await new Promise<void>((resolve, reject) => client.once('connect', resolve).once('error', reject));
      const deadline = Date.now() + 2000;
      while (!r.anyReadable() && Date.now() < deadline) await new Promise((res) => setTimeout(res, 5));
      assert.equal(r.anyReadable(), true);
      assert.equal(r.anyReadable(), true, 'still readable: nothing was accepted');
    } finally {
      client.destroy();
    }
  });

  it('plans a spawn: each socket at the stdio index equal to its fd, none without use_sockets', async () => {
    const r = await started([rec('a', { host: '127.0.0.1', port: '0' }), rec('b', { host: '127.0.0.1', port: '0' })]);
    const [a, b] = r.list();
    const plan = r.plan({ watcher: 'w', cmd: 'x', useSockets: true, stdinSocket: null });
    assert.deepEqual(plan.numbers, { a: a.fd, b: b.fd });
    assert.equal(plan.extraFds.length, b.fd - 2);
    assert.equal(plan.extraFds[a.fd - 3], a.fd);
    assert.equal(plan.extraFds[b.fd - 3], b.fd);
    assert.ok(plan.extraFds.every((e, i) => e === 'ignore' || e === i + 3));
    const without = r.plan({ watcher: 'w', cmd: 'x', useSockets: false, stdinSocket: 'A' });
    assert.deepEqual([without.numbers, without.extraFds, without.stdin], [{ a: a.fd, b: b.fd }, [], a.fd]);
  });

  it('so_reuseport: unbound in the registry; a fresh bound listener per spawn only when cmd names it (quirk Q24)', async () => {
    const probe = net.createServer();
    await new Promise<void>((res) => probe.listen(0, '127.0.0.1', res));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((res) => probe.close(res));
    const r = await started([rec('rp', { host: '127.0.0.1', port: String(port) }, { so_reuseport: true })]);
    const registryFd = r.get('rp')!.fd;
    assert.equal(r.get('rp')!.bound, false);
    assert.equal(getIntOption(registryFd, SOL_SOCKET, SO_REUSEPORT), 1);
    const inCmd = r.plan({ watcher: 'w', cmd: 'srv --fd $(circus.sockets.rp)', useSockets: true, stdinSocket: null });
    const inCmd2 = r.plan({ watcher: 'w', cmd: 'srv --fd $(circus.sockets.rp)', useSockets: true, stdinSocket: null });
    assert.notEqual(inCmd.numbers.rp, registryFd);
    assert.notEqual(inCmd.numbers.rp, inCmd2.numbers.rp, 'two listeners on one port at once');
    inCmd.release();
    inCmd2.release();
    const inArgs = r.plan({ watcher: 'w', cmd: 'srv', useSockets: true, stdinSocket: null });
    assert.equal(inArgs.numbers.rp, registryFd);
  });

  it('an unknown stdin_socket is a SocketError naming the watcher and the socket', async () => {
    const r = await started([]);
    assert.throws(() => r.checkStdinSocket('w', 'nope'), (e: unknown) => e instanceof SocketError && e.message === "socket 'nope': stdin_socket of watcher 'w' does not exist");
    assert.throws(() => r.plan({ watcher: 'w', cmd: 'x', useSockets: false, stdinSocket: 'nope' }), SocketError);
  });

  it('skips bad sections with "Failed to create socket", logs nothing for an empty registry', async () => {
    const logger = new MemoryLogger();
    await started([rec('bad', { type: 'SOCK_X' }), rec('v6', { host: '127.0.0.1', family: 'AF_INET6', port: '0' })], logger);
    assert.equal(logger.notices.length, 2);
    assert.match(logger.notices[0], /^WARNING Failed to create socket: socket 'bad': unknown type 'SOCK_X'/);
    assert.match(logger.notices[1], /^WARNING Failed to create socket: socket 'v6': host '127.0.0.1' is not an IPv6 address/);
    assert.deepEqual(registry!.list(), []);
  });

  it('unix: umask 022 (decimal 22 = octal 026) gives mode 751; closing removes the file', async () => {
    const p = path.join(tmp, 's.sock');
    const r = await started([rec('u', { path: p, umask: '022' })]);
    assert.equal(statSync(p).mode & 0o777, 0o751);
    assert.equal(r.get('u')!.location, `'${p}'`);
    r.closeAll();
    assert.throws(() => statSync(p), /ENOENT/);
  });

  it('adds and removes sockets while running (for reloadconfig), refusing a duplicate name', async () => {
    const r = await started([rec('b', { host: '127.0.0.1', port: '0' })]);
    const added = await r.add(rec('a', { host: '127.0.0.1', port: '0' }));
    assert.ok(added.port! > 0 && added.bound);
    assert.deepEqual(r.list().map((s) => s.name), ['a', 'b']);
    await assert.rejects(r.add(rec('A')), /socket 'a': already exists/);
    const target = (): string | null => {
      try {
        return readlinkSync(`/proc/self/fd/${added.fd}`);
      } catch {
        return null;
      }
    };
    const inode = target();
    assert.match(inode ?? '', /^socket:/);
    assert.equal(r.remove('A'), true);
    assert.equal(r.remove('a'), false);
    assert.deepEqual(r.list().map((s) => s.name), ['b']);
    assert.notEqual(target(), inode, 'the descriptor is closed');
  });
});
