import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileHandler, WatchedFileHandler } from '../../../cli/logging/file-handler';
import { Formatter } from '../../../cli/logging/formatter';
import { Handler } from '../../../cli/logging/handler';
import { LogManager } from '../../../cli/logging/log-manager';
import { RotatingFileHandler } from '../../../cli/logging/rotating-file-handler';
import { StreamHandler } from '../../../cli/logging/stream-handler';
import { SysLogHandler, syslogFrame, syslogPriority } from '../../../cli/logging/syslog-handler';
import { configureLogging } from '../../../cli/logging/configure';
import { DEBUG, ERROR, INFO, WARNING } from '../../../cli/logging/levels';
import { LoggingConfigError } from '../../../cli/circusd/errors';
import type { LogRecord } from '../../../cli/logging/log-record';

const FIXED = new Date(2024, 0, 5, 8, 9, 10).getTime();

function rec(message: string, levelno = INFO, levelname = 'INFO'): LogRecord {
  return { name: 'circus', levelno, levelname, message, created: FIXED, process: 77 };
}

/** Polls `check` until it returns a value, failing after `ms`. */
async function waitFor<T>(check: () => T | undefined, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('cli/logging: file handlers', () => {
  let dir: string;
  const open: Handler[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'circusd-handlers-'));
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((h) => h.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('FileHandler appends; mode w truncates at open', () => {
    const file = path.join(dir, 'a.log');
    fs.writeFileSync(file, 'old\n');
    const a = new FileHandler(file);
    open.push(a);
    a.handle(rec('one'));
    assert.equal(fs.readFileSync(file, 'utf8'), 'old\none\n');
    const w = new FileHandler(file, { mode: 'w' });
    open.push(w);
    w.handle(rec('two'));
    assert.equal(fs.readFileSync(file, 'utf8'), 'two\n');
  });

  it('WatchedFileHandler re-opens the path after the file is moved or deleted', () => {
    const file = path.join(dir, 'w.log');
    const h = new WatchedFileHandler(file);
    open.push(h);
    h.handle(rec('before'));
    fs.renameSync(file, `${file}.1`);
    h.handle(rec('after move'));
    fs.unlinkSync(file);
    h.handle(rec('after delete'));
    assert.equal(fs.readFileSync(`${file}.1`, 'utf8'), 'before\n');
    assert.equal(fs.readFileSync(file, 'utf8'), 'after delete\n');
  });

  it('a plain FileHandler keeps writing to the moved file until reopen() (SIGHUP)', () => {
    const file = path.join(dir, 'p.log');
    const h = new FileHandler(file);
    open.push(h);
    fs.renameSync(file, `${file}.old`);
    h.handle(rec('still old'));
    h.reopen();
    h.handle(rec('new'));
    assert.equal(fs.readFileSync(`${file}.old`, 'utf8'), 'still old\n');
    assert.equal(fs.readFileSync(file, 'utf8'), 'new\n');
  });

  it('LogManager.reopen re-opens only the handlers of the circus logger', () => {
    const manager = new LogManager({ now: () => FIXED, pid: () => 1 });
    const onCircus = new FileHandler(path.join(dir, 'c.log'));
    const onRoot = new FileHandler(path.join(dir, 'r.log'));
    open.push(onCircus, onRoot);
    manager.node('circus').handlers = [onCircus];
    manager.root.handlers = [onRoot];
    fs.renameSync(path.join(dir, 'c.log'), path.join(dir, 'c.log.1'));
    fs.renameSync(path.join(dir, 'r.log'), path.join(dir, 'r.log.1'));
    manager.reopen('circus');
    assert.ok(fs.existsSync(path.join(dir, 'c.log')));
    assert.ok(!fs.existsSync(path.join(dir, 'r.log')));
  });

  it('RotatingFileHandler rolls over at maxBytes keeping backupCount files', () => {
    const file = path.join(dir, 'r.log');
    const h = new RotatingFileHandler(file, { maxBytes: 12, backupCount: 2 });
    open.push(h);
    for (const m of ['aaaaa', 'bbbbb', 'ccccc', 'ddddd']) h.handle(rec(m));
    assert.equal(fs.readFileSync(file, 'utf8'), 'ddddd\n');
    assert.equal(fs.readFileSync(`${file}.1`, 'utf8'), 'ccccc\n');
    assert.equal(fs.readFileSync(`${file}.2`, 'utf8'), 'bbbbb\n');
    assert.ok(!fs.existsSync(`${file}.3`));
  });

  it('RotatingFileHandler with backupCount 0 never renames (as in Python)', () => {
    const file = path.join(dir, 'r0.log');
    const h = new RotatingFileHandler(file, { maxBytes: 5, backupCount: 0 });
    open.push(h);
    h.handle(rec('xxxxxx'));
    h.handle(rec('yyyyyy'));
    assert.equal(fs.readFileSync(file, 'utf8'), 'xxxxxx\nyyyyyy\n');
    assert.deepEqual(fs.readdirSync(dir), ['r0.log']);
  });

  it('a failing handler is reported, not thrown and not silent', () => {
    const errors: string[] = [];
    const broken = new FileHandler(path.join(dir, 'y.log'));
    broken.onError = (handler, e) => errors.push(`${handler.describe()}: ${(e as Error).message}`);
    const internals = broken as unknown as { fd: number | null };
    fs.closeSync(internals.fd as number);
    // A descriptor number nothing has open stands in for a file lost under us.
    internals.fd = 987654;
    assert.doesNotThrow(() => broken.handle(rec('x')));
    internals.fd = null;
    assert.equal(errors.length, 1);
    assert.match(errors[0], /FileHandler\(.*y\.log\): EBADF/);
  });
});

describe('cli/logging: logger hierarchy', () => {
  function collect(manager: LogManager, name: string, level = 0): string[] {
    const lines: string[] = [];
    const h = new StreamHandler('stderr', (t) => lines.push(t.trimEnd()));
    h.level = level;
    h.formatter = new Formatter('%(name)s:%(levelname)s:%(message)s');
    manager.node(name).handlers.push(h);
    return lines;
  }

  it('levels inherit up the dotted names; propagate stops at a logger', () => {
    const m = new LogManager({ now: () => FIXED, pid: () => 1 });
    const root = collect(m, 'root');
    const circus = collect(m, 'circus');
    m.node('circus').level = DEBUG;
    m.getLogger('circus.watcher').debug('d');
    m.getLogger('other').info('dropped: root is WARNING by default');
    m.getLogger('other').warning('w');
    m.node('circus').propagate = false;
    m.getLogger('circus').error('e');
    assert.deepEqual(circus, ['circus.watcher:DEBUG:d', 'circus:ERROR:e']);
    assert.deepEqual(root, ['circus.watcher:DEBUG:d', 'other:WARNING:w']);
    assert.equal(m.effectiveLevel('circus.a.b'), DEBUG);
    assert.equal(m.effectiveLevel('x'), WARNING);
  });

  it('handler levels filter; without any handler, warnings reach the last resort', () => {
    const m = new LogManager({ now: () => FIXED, pid: () => 1 });
    const last: string[] = [];
    m.lastResort = (l) => last.push(l);
    m.root.level = DEBUG;
    m.getLogger('circus').info('no handler, info');
    m.getLogger('circus').error('no handler, error');
    const lines = collect(m, 'root', ERROR);
    m.getLogger('circus').warning('filtered');
    m.getLogger('circus').critical('kept');
    assert.deepEqual(last, ['no handler, error']);
    assert.deepEqual(lines, ['circus:CRITICAL:kept']);
  });
});

describe('cli/logging: syslog', () => {
  let receiver: dgram.Socket | null = null;
  let dir: string | null = null;
  const closers: Array<() => Promise<void>> = [];

  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c()));
    if (receiver) await new Promise<void>((r) => receiver?.close(() => r()));
    receiver = null;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  async function listen(): Promise<{ port: number; messages: Buffer[] }> {
    const messages: Buffer[] = [];
    const socket = dgram.createSocket('udp4');
    receiver = socket;
    socket.on('message', (m) => messages.push(m));
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    return { port: socket.address().port, messages };
  }

  it('computes <PRI> as facility << 3 | severity', () => {
    assert.equal(syslogPriority(1, 'INFO'), 14);
    assert.equal(syslogPriority(16, 'ERROR'), 131);
    assert.equal(syslogPriority(3, 'DEBUG'), 31);
    assert.equal(syslogPriority(1, 'CRITICAL'), 10);
    assert.equal(syslogPriority(1, 'Level 15'), 12);
    assert.deepEqual(syslogFrame(1, 'WARNING', 'hi'), Buffer.from('<12>hi\0'));
  });

  it('--log-output syslog://127.0.0.1:PORT?local0 sends framed Circus lines over UDP', async () => {
    const { port, messages } = await listen();
    const manager = await configureLogging({ output: `syslog://127.0.0.1:${port}?local0`, level: 'info' });
    closers.push(() => manager.close());
    manager.getLogger('circus').info('Arbiter now waiting for commands');
    manager.getLogger('circus').error('boom');
    const got = await waitFor(() => (messages.length >= 2 ? messages.map((m) => m.toString('utf8')) : undefined));
    assert.match(got[0], /^<134>[A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d circus\[\d+\] \[INFO\] Arbiter now waiting for commands\0$/);
    assert.match(got[1], /^<131>.* circus\[\d+\] \[ERROR\] boom\0$/);
  });

  it('an unknown facility means user', async () => {
    const { port, messages } = await listen();
    const manager = await configureLogging({ output: `syslog://127.0.0.1:${port}?nosuch`, level: 'debug' });
    closers.push(() => manager.close());
    manager.getLogger('circus').debug('d');
    const got = await waitFor(() => messages[0]);
    assert.ok(got.toString('utf8').startsWith('<15>'));
  });

  it('unix socket in stream mode receives the frames', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'circusd-syslog-'));
    const sockPath = path.join(dir, 'log.sock');
    const chunks: Buffer[] = [];
    const server = net.createServer((c) => c.on('data', (d) => chunks.push(d)));
    await new Promise<void>((r) => server.listen(sockPath, r));
    closers.push(() => new Promise<void>((r) => server.close(() => r())));
    const handler = await SysLogHandler.open({ kind: 'unix', path: sockPath }, 3);
    closers.unshift(() => handler.close());
    handler.formatter = new Formatter('%(message)s');
    handler.handle(rec('via unix', WARNING, 'WARNING'));
    const text = await waitFor(() => (chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined));
    assert.equal(text, '<28>via unix\0');
  });

  it('a unix socket that refuses a stream connection is a clear error', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'circusd-syslog-'));
    await assert.rejects(configureLogging({ output: `syslog://${path.join(dir, 'none.sock')}` }), LoggingConfigError);
    await assert.rejects(configureLogging({ output: `syslog://${path.join(dir, 'none.sock')}` }), /cannot connect to the unix socket '.*none\.sock' \(ENOENT\); circus-ts speaks syslog over unix sockets in stream mode only/);
  });
});
