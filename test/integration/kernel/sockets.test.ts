import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { SocketRecord } from '../../../config/model';
import { Arbiter, createArbiter, defaultCircusConfig, SocketError, WatcherOptions } from '../../../kernel';
import { isCloseOnExec, O_NONBLOCK, statusFlags } from '../../../kernel/sockets/libc';
import { cleanup, fixture, makeTmp, MemoryLogger, processesWith, readJson, waitFor } from './helpers';
import { freePort } from '../../support/free-port';
import { ask, askUdp, fdTable, hasIpv6Loopback, socketInode, socketRecord } from './sockets-helpers';

interface FdReport {
  pid: number;
  fds: Record<string, { flags?: string; target?: string; error?: string }>;
  stdinPort?: number;
}

describe('kernel integration: circus sockets', function () {
  this.timeout(20000);
  let tmp: string;
  let arbiter: Arbiter | null;
  let logger: MemoryLogger;
  const servers: net.Server[] = [];

  beforeEach(() => {
    tmp = makeTmp();
    arbiter = null;
    logger = new MemoryLogger();
  });

  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
    const left = await cleanup(arbiter, tmp);
    assert.deepEqual(left, [], 'no fixture process may outlive the test');
  });

  async function start(sockets: SocketRecord[], watchers: (Partial<WatcherOptions> & { name: string })[]): Promise<Arbiter> {
    arbiter = createArbiter({
      config: defaultCircusConfig({
        check_delay: -1,
        sockets,
        watchers: watchers.map((w) => ({ cmd: process.execPath, graceful_timeout: 1, ...w })),
      }),
      logger,
    });
    await arbiter.start();
    return arbiter;
  }

  /** Asks until `want` distinct pids answered, in bounded concurrent rounds. */
  async function distinctAnswers(target: { host: string; port: number } | { path: string }, want: number): Promise<Set<number>> {
    const seen = new Set<number>();
    for (let round = 0; round < 10 && seen.size < want; round += 1) {
      const answers = await Promise.all(Array.from({ length: 12 }, () => ask(target)));
      for (const a of answers) seen.add(Number(a));
    }
    return seen;
  }

  it('shares one TCP socket (port 0 -> a real port) between workers that get $(circus.sockets.NAME) as the fd they hold', async () => {
    const a = await start(
      [socketRecord('Web', { host: '127.0.0.1', port: '0' })],
      [{ name: 'web', numprocesses: 3, use_sockets: true, args: [fixture('socket-server.js'), '$(circus.sockets.web)', 'tcp', tmp] }],
    );
    const web = a.sockets.get('web')!;
    assert.ok(web.port! > 0, 'an ephemeral port is known after bind');
    assert.equal(web.host, '127.0.0.1');
    assert.ok(web.fd > 2);
    assert.ok(logger.has('sockets started'));
    const w = a.getWatcher('web');
    await waitFor('3 workers', () => w.processes.length === 3);
    for (const p of w.processes) {
      assert.equal(p.argv[2], String(web.fd), 'the substituted number is the fd');
      assert.equal(fdTable(p.pid).get(web.fd), socketInode(web.fd), 'the child holds the socket under the same number');
    }
    const seen = await waitFor('answers from 2 or more workers', async () => {
      const s = await distinctAnswers({ host: '127.0.0.1', port: web.port! }, 2);
      return s.size >= 2 && s;
    });
    for (const pid of seen) assert.ok(w.pids.includes(pid), `answer from worker ${pid}, never from circusd`);
    assert.deepEqual(a.sockets.list().map((s) => [s.name, s.fd, s.host, s.port, s.family, s.type, s.backlog]), [
      ['web', web.fd, '127.0.0.1', web.port, 'AF_INET', 'SOCK_STREAM', 2048],
    ]);
  });

  it('binds IPv6 ::1 and serves over it', async function () {
    if (!hasIpv6Loopback()) this.skip();
    const a = await start(
      [socketRecord('v6', { host: '::1', port: '0', family: 'AF_INET6' })],
      [{ name: 'v6', use_sockets: true, args: [fixture('socket-server.js'), '$(circus.sockets.v6)', 'tcp', tmp] }],
    );
    const s = a.sockets.get('v6')!;
    assert.equal(s.host, '::1');
    assert.ok(s.port! > 0);
    const answer = await ask({ host: '::1', port: s.port! });
    assert.deepEqual([Number(answer)], a.getWatcher('v6').pids);
  });

  it('passes a UDP socket (bound, not listening) that the child receives datagrams on', async () => {
    const a = await start(
      [socketRecord('dns', { host: '127.0.0.1', port: '0', type: 'sock_dgram' })],
      [{ name: 'udp', use_sockets: true, args: [fixture('socket-server.js'), '$(circus.sockets.dns)', 'udp', tmp] }],
    );
    const s = a.sockets.get('dns')!;
    assert.equal(s.type, 'SOCK_DGRAM');
    await waitFor('a worker', () => a.getWatcher('udp').pids.length === 1);
    const answer = await waitFor('a datagram back', () => askUdp(s.port!, 'ping', 1000).catch(() => ''));
    assert.equal(answer, `${a.getWatcher('udp').pids[0]} ping`);
  });

  it('unix sockets: mode from the decimal umask (default 8 -> 767, 000 -> 777), served, file removed at stop', async () => {
    const p1 = path.join(tmp, 'one.sock');
    const p2 = path.join(tmp, 'two.sock');
    const a = await start(
      [socketRecord('one', { path: p1 }), socketRecord('two', { path: p2, umask: '000' })],
      [{ name: 'u', use_sockets: true, args: [fixture('socket-server.js'), '$(circus.sockets.one)', 'tcp', tmp] }],
    );
    assert.equal(statSync(p1).mode & 0o777, 0o767);
    assert.equal(statSync(p2).mode & 0o777, 0o777);
    assert.equal(a.sockets.get('one')!.family, 'AF_UNIX');
    const answer = await waitFor('an answer on the unix socket', () => ask({ path: p1 }).catch(() => ''));
    assert.deepEqual([Number(answer)], a.getWatcher('u').pids);
    await a.stop();
    assert.equal(existsSync(p1), false);
    assert.equal(existsSync(p2), false);
  });

  it('replace = false refuses an existing path (start fails, nothing spawned, the file kept); replace = true removes it', async () => {
    const p = path.join(tmp, 'taken.sock');
    writeFileSync(p, 'not a socket');
    await assert.rejects(
      start([socketRecord('sock', { path: p })], [{ name: 'never', args: [fixture('sleeper.js'), tmp] }]),
      (err: unknown) => err instanceof SocketError && /socket 'sock'/.test(err.message) && err.message.includes(p) && /already exists/.test(err.message),
    );
    assert.deepEqual(arbiter!.getWatcher('never').pids, []);
    assert.deepEqual(processesWith(tmp), []);
    assert.equal(existsSync(p), true, 'a file circus did not create is never removed');
    assert.ok(logger.has(`Could not bind '${p}'`));
    await arbiter!.stop();
    const a = await start(
      [socketRecord('sock', { path: p }, { replace: true })],
      [{ name: 'u', use_sockets: true, args: [fixture('socket-server.js'), '$(circus.sockets.sock)', 'tcp', tmp] }],
    );
    assert.ok(statSync(p).isSocket());
    const answer = await waitFor('an answer', () => ask({ path: p }).catch(() => ''));
    assert.deepEqual([Number(answer)], a.getWatcher('u').pids);
  });

  it('blocking = false puts O_NONBLOCK on the description the child inherits; blocking = true leaves it blocking', async () => {
    const out = path.join(tmp, 'fds.json');
    const a = await start(
      [socketRecord('nb', { host: '127.0.0.1', port: '0' }), socketRecord('b', { host: '127.0.0.1', port: '0', blocking: 'true' })],
      [{ name: 'r', use_sockets: true, args: [fixture('fd-report.js'), out, '$(circus.sockets.nb)', '$(circus.sockets.b)'] }],
    );
    await waitFor('the report', () => existsSync(out));
    const report = readJson<FdReport>(out);
    const flags = (name: string): number => parseInt(report.fds[String(a.sockets.get(name)!.fd)].flags!, 8);
    assert.equal(flags('nb') & 0o4000, 0o4000);
    assert.equal(flags('b') & 0o4000, 0);
  });

  it('use_sockets = false: the child has no fd above 2, yet the number is still substituted', async () => {
    const a = await start(
      [socketRecord('web', { host: '127.0.0.1', port: '0' })],
      [
        { name: 'without', cmd: 'sleep', args: ['600', '$(circus.sockets.web)'], use_sockets: false, env: { PATH: '/usr/bin:/bin' } },
        { name: 'with', cmd: 'sleep', args: ['600', '$(circus.sockets.web)'], use_sockets: true, env: { PATH: '/usr/bin:/bin' } },
      ],
    );
    const fd = a.sockets.get('web')!.fd;
    const [without] = a.getWatcher('without').processes;
    const [withSockets] = a.getWatcher('with').processes;
    assert.equal(without.argv[2], String(fd));
    // Descriptors this test process itself inherited without close-on-exec
    // (from whatever started mocha) reach every child; circusd's own never do.
    const leaked = (n: number): boolean => n > 2 && n !== fd && !isCloseOnExec(n);
    const above2 = (pid: number): number[] => [...fdTable(pid).keys()].filter((n) => n > 2 && !leaked(n)).sort((x, y) => x - y);
    // Polled: right after exec the dynamic loader briefly holds fd 3 (ld.so.cache, libc).
    const settled = (pid: number, want: number[]): Promise<boolean> =>
      waitFor(`pid ${pid} holding exactly ${JSON.stringify(want)} above fd 2`, () => JSON.stringify(above2(pid)) === JSON.stringify(want), 3000);
    await settled(without.pid, []);
    await settled(withSockets.pid, [fd]);
    assert.equal(fdTable(withSockets.pid).get(fd), socketInode(fd));
  });

  it('so_reuseport: each worker owns its own listener on the same port (detected in cmd); the registry socket stays unbound', async () => {
    const port = await freePort();
    const a = await start(
      [socketRecord('rp', { host: '127.0.0.1', port: String(port) }, { so_reuseport: true })],
      [{ name: 'rp', numprocesses: 2, use_sockets: true, cmd: `${process.execPath} ${fixture('socket-server.js')} $(circus.sockets.rp) tcp ${tmp}` }],
    );
    const registry = a.sockets.get('rp')!;
    assert.equal(registry.bound, false);
    assert.equal(registry.so_reuseport, true);
    const w = a.getWatcher('rp');
    await waitFor('2 workers', () => w.processes.length === 2);
    const inodes = w.processes.map((p) => fdTable(p.pid).get(Number(p.argv[1 + 1]))!);
    assert.ok(inodes.every((i) => i.startsWith('socket:')));
    assert.notEqual(inodes[0], inodes[1], 'distinct listening sockets');
    assert.ok(!inodes.includes(socketInode(registry.fd)));
    const seen = await waitFor('both workers answering', async () => {
      const s = await distinctAnswers({ host: '127.0.0.1', port }, 2);
      return s.size >= 2 && s;
    });
    assert.deepEqual([...seen].sort(), [...w.pids].sort());
  });

  it('backlog is the listen() queue limit', async () => {
    const a = await start([socketRecord('bl', { host: '127.0.0.1', port: '0', backlog: '7' })], []);
    const port = a.sockets.get('bl')!.port!;
    const line = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' }).trim();
    assert.match(line, /^LISTEN\s+0\s+7\s/);
  });

  it('stdin_socket puts the socket on the child\'s fd 0 (even without use_sockets), keeping it non-blocking', async () => {
    const out = path.join(tmp, 'stdin.json');
    const a = await start(
      [socketRecord('web', { host: '127.0.0.1', port: '0' })],
      [{ name: 's', stdin_socket: 'web', args: [fixture('fd-report.js'), out, '--listen-stdin', '0'] } as Partial<WatcherOptions> & { name: string }],
    );
    await waitFor('the report', () => existsSync(out));
    const report = readJson<FdReport>(out);
    const web = a.sockets.get('web')!;
    assert.equal(report.fds['0'].target, socketInode(web.fd));
    assert.equal(report.stdinPort, web.port);
    // libuv makes a child's fd 0 blocking, on the description circusd shares: restored after the spawn.
    assert.equal(statusFlags(web.fd) & O_NONBLOCK, O_NONBLOCK);
    assert.equal(Number(await ask({ host: '127.0.0.1', port: web.port! })), report.pid);
  });

  it('an unknown stdin_socket fails that watcher\'s start with an error naming it; the others start', async () => {
    const a = await start(
      [socketRecord('web', { host: '127.0.0.1', port: '0' })],
      [
        { name: 'bad', stdin_socket: 'nope', args: [fixture('sleeper.js'), tmp] } as Partial<WatcherOptions> & { name: string },
        { name: 'good', args: [fixture('sleeper.js'), tmp] },
      ],
    );
    assert.equal(a.getWatcher('good').status, 'active');
    assert.equal(a.getWatcher('bad').status, 'stopped');
    assert.ok(logger.has("bad could not start: socket 'nope': stdin_socket of watcher 'bad' does not exist"));
    await assert.rejects(a.getWatcher('bad').start(), /stdin_socket of watcher 'bad' does not exist/);
  });

  it('a port already in use fails the start with an error naming the socket and the address; nothing left bound or spawned', async () => {
    const busy = net.createServer();
    servers.push(busy);
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as net.AddressInfo).port;
    const unix = path.join(tmp, 'first.sock');
    await assert.rejects(
      start(
        [socketRecord('a-unix', { path: unix }), socketRecord('web', { host: '127.0.0.1', port: String(port) })],
        [{ name: 'w', args: [fixture('sleeper.js'), tmp] }],
      ),
      (err: unknown) => err instanceof SocketError && err.message.includes(`socket 'web': could not bind 127.0.0.1:${port}`) && /Address already in use/.test(err.message),
    );
    assert.equal(existsSync(unix), false, 'the socket bound before the failure is closed and its file removed');
    assert.deepEqual(arbiter!.sockets.list(), []);
    assert.deepEqual(processesWith(tmp), []);
  });

  it('a path that cannot be created fails the start naming the socket and the path', async () => {
    const bad = path.join(tmp, 'no-such-dir', 'x.sock');
    await assert.rejects(
      start([socketRecord('u', { path: bad })], [{ name: 'w', args: [fixture('sleeper.js'), tmp] }]),
      (err: unknown) => err instanceof SocketError && err.message.includes(`socket 'u': could not bind '${bad}'`) && /No such file or directory/.test(err.message),
    );
  });

  it('an unknown family or proto skips that socket with "Failed to create socket" naming it; the rest runs', async () => {
    const a = await start(
      [
        socketRecord('odd', { family: 'AF_BOGUS' }),
        socketRecord('badproto', { host: '127.0.0.1', port: '0', proto: 'foo' }),
        socketRecord('v6only', { host: '127.0.0.1', port: '0', family: 'AF_INET6' }),
        socketRecord('ok', { host: '127.0.0.1', port: '0', proto: 'tcp' }),
      ],
      [{ name: 'w', args: [fixture('sleeper.js'), tmp] }],
    );
    assert.ok(logger.has("Failed to create socket: socket 'odd': unknown family 'AF_BOGUS'"));
    assert.ok(logger.has("Failed to create socket: socket 'badproto': unknown protocol 'foo'"));
    assert.ok(logger.has("Failed to create socket: socket 'v6only': host '127.0.0.1' is not an IPv6 address (family AF_INET6)"));
    assert.deepEqual(a.sockets.list().map((s) => s.name), ['ok']);
    assert.equal(a.getWatcher('w').status, 'active');
  });

  it('interface = lo binds the socket to the device (SO_BINDTODEVICE, needs root)', async function () {
    if (process.getuid?.() !== 0) this.skip();
    const a = await start([socketRecord('lo', { host: '127.0.0.1', port: '0', interface: 'lo' })], []);
    const s = a.sockets.get('lo')!;
    const { boundDevice } = await import('../../../kernel/sockets/libc');
    assert.equal(boundDevice(s.fd), 'lo');
    const probe = net.connect(s.port!, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      probe.once('connect', () => resolve());
      probe.once('error', reject);
    });
    probe.destroy();
  });

  it('an interface that does not exist fails the start naming the socket and the device', async function () {
    if (process.getuid?.() !== 0) this.skip();
    await assert.rejects(
      start([socketRecord('dev', { host: '127.0.0.1', port: '0', interface: 'nosuchdev0' })], []),
      (err: unknown) => err instanceof SocketError && /^socket 'dev': could not bind to interface 'nosuchdev0' for 127\.0\.0\.1:0: setsockopt: \[Errno 19\]/.test(err.message),
    );
  });
});
