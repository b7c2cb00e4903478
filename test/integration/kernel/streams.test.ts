import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Arbiter, createArbiter, defaultCircusConfig, FileStream, WatchedFileStream, WatcherOptions } from '../../../kernel';
import { cleanup, fixture, makeTmp, MemoryLogger, waitFor } from './helpers';

describe('kernel integration: output streams with real children (spec 4)', function () {
  this.timeout(30000);
  let tmp: string;
  let arbiter: Arbiter | null;
  let logger: MemoryLogger;

  beforeEach(() => {
    tmp = makeTmp();
    arbiter = null;
    logger = new MemoryLogger();
  });

  afterEach(async () => {
    const a = arbiter;
    const left = await cleanup(arbiter, tmp);
    assert.deepEqual(left, [], 'no fixture process may outlive the test');
    for (const w of a?.watchers ?? []) {
      for (const name of ['stdout', 'stderr'] as const) {
        const s = w.streams.stream(name) as { isOpen?: boolean } | null;
        assert.notEqual(s?.isOpen, true, `${w.name} ${name} stream closed by the arbiter quit`);
      }
    }
  });

  function writer(name: string, mode: string[], extra: Partial<WatcherOptions> = {}): WatcherOptions {
    return { name, cmd: process.execPath, args: [fixture('output-writer.js'), tmp, ...mode], graceful_timeout: 1, ...extra };
  }

  function make(watchers: WatcherOptions[]): Arbiter {
    arbiter = createArbiter({ config: defaultCircusConfig({ check_delay: -1, watchers }), logger });
    return arbiter;
  }

  const file = (name: string): string => path.join(tmp, name);
  const read = (name: string): string => (existsSync(file(name)) ? readFileSync(file(name), 'utf8') : '');

  it('captures stdout and stderr in their own files; the files exist from construction', async () => {
    const a = make([
      writer('w', ['lines', '5', 'hey'], {
        numprocesses: 2,
        stdout_stream: { class: 'FileStream', filename: file('out.log') },
        stderr_stream: { filename: file('err.log') },
      }),
    ]);
    assert.ok(existsSync(file('out.log')) && existsSync(file('err.log')), 'created before any start');
    await a.start();
    await waitFor('10 lines in each file', () => read('out.log').split('\n').length > 10 && read('err.log').split('\n').length > 10);
    const out = read('out.log').trim().split('\n');
    const err = read('err.log').trim().split('\n');
    assert.equal(out.length, 10);
    assert.ok(out.every((l) => /^hey out \d$/.test(l)), out.join('|'));
    assert.ok(err.every((l) => /^hey err \d$/.test(l)), err.join('|'));
  });

  it('close_child_stdout: the stdout stream receives nothing, stderr still flows', async () => {
    const a = make([
      writer('w', ['lines', '3', 'c'], {
        close_child_stdout: true,
        stdout_stream: { filename: file('out.log') },
        stderr_stream: { filename: file('err.log') },
      }),
    ]);
    await a.start();
    await waitFor('stderr lines', () => read('err.log').split('\n').length > 3);
    assert.equal(a.getWatcher('w').streams.redirector.attached, 1, 'only the stderr pipe exists');
    assert.equal(read('out.log'), '');
  });

  it('size rotation keeps backup_count files of at most max_bytes', async () => {
    const a = make([writer('w', ['tick', '2', 'r'], { stdout_stream: { filename: file('rot.log'), max_bytes: '400', backup_count: '2' } })]);
    await a.start();
    await waitFor('two backups and a fresh file', () => existsSync(file('rot.log.2')) && statSync(file('rot.log')).size > 0, 10000);
    await a.getWatcher('w').stop();
    const names = readdirSync(tmp).filter((n) => n.startsWith('rot.log')).sort();
    assert.deepEqual(names, ['rot.log', 'rot.log.1', 'rot.log.2']);
    for (const n of names) assert.ok(statSync(file(n)).size <= 400, `${n}: ${statSync(file(n)).size} bytes`);
    const lines = names.flatMap((n) => read(n).split('\n').filter((l) => l !== ''));
    assert.ok(lines.every((l) => /^r tick \d+$/.test(l)), 'whole lines only');
  });

  it('WatchedFileStream follows an external rename (logrotate)', async () => {
    const a = make([writer('w', ['tick', '10', 'lr'], { stdout_stream: { class: 'WatchedFileStream', filename: file('app.log') } })]);
    await a.start();
    await waitFor('first ticks', () => read('app.log').includes('lr tick 2'));
    renameSync(file('app.log'), file('app.log.1'));
    await waitFor('a new file at the original path', () => read('app.log').split('\n').length > 3);
    const before = read('app.log.1').trim().split('\n');
    const after = read('app.log').trim().split('\n');
    const n = (l: string): number => Number(l.split(' ').pop());
    assert.ok(n(after[0]) === n(before[before.length - 1]) + 1, `${before.slice(-1)} then ${after[0]}`);
    assert.ok(a.getWatcher('w').streams.stream('stdout') instanceof WatchedFileStream);
  });

  it('the stream survives process replacement and a watcher restart; an explicit stop closes it and start re-opens it (8.6 #69, #70)', async () => {
    const a = make([writer('w', ['lines', '1', 'gen'], { stdout_stream: { filename: file('out.log') }, stderr_stream: { filename: file('err.log') } })]);
    await a.start();
    const w = a.getWatcher('w');
    const stream = w.streams.stream('stdout') as FileStream;
    const lines = (): number => read('out.log').split('\n').length - 1;
    await waitFor('first output', () => lines() === 1);
    process.kill(w.pids[0], 'SIGKILL');
    await waitFor('the replacement output', () => lines() === 2);
    await w.restart();
    await waitFor('output after restart', () => lines() === 3);
    assert.equal(w.streams.stream('stdout'), stream, 'the same stream object');
    assert.equal(stream.isOpen, true, 'restart leaves the stream open');
    await w.stop({ closeStreams: false });
    assert.equal(stream.isOpen, true, 'stop-all leaves the stream open');
    await w.start();
    await waitFor('output', () => lines() === 4);
    await w.stop();
    assert.equal(stream.isOpen, false, 'an explicit stop closes it');
    assert.equal((w.streams.stream('stderr') as FileStream).isOpen, false);
    await w.start();
    assert.equal(stream.isOpen, true, 'start re-opens it');
    await waitFor('output after re-open', () => lines() === 5);
    assert.ok(read('err.log').split('\n').length > 4);
  });

  it('set stdout_stream.* rebuilds the stream and swaps it in (spec 2.16)', async () => {
    const a = make([writer('w', ['tick', '10', 's'], { stdout_stream: { filename: file('one.log') } })]);
    await a.start();
    const w = a.getWatcher('w');
    const old = w.streams.stream('stdout') as FileStream;
    await waitFor('ticks in one.log', () => read('one.log').includes('s tick 1'));
    assert.equal(await w.set({ 'stdout_stream.filename': file('two.log') }), 'stream');
    await waitFor('ticks in two.log', () => read('two.log').includes('tick'));
    assert.equal(old.isOpen, false, 'the old stream is closed');
    await assert.rejects(w.set({ 'stdout_stream.class': 'NoSuchStream' }), /watcher 'w': stdout_stream\.class: unknown stream class/);
    assert.deepEqual(w.options().stdout_stream, { filename: file('two.log') }, 'the options still describe the stream in use');
  });

  it('an unknown stream class skips that watcher with a warning naming it; the others run', async () => {
    const a = make([
      writer('bad', ['lines', '1', 'b'], { stdout_stream: { class: 'NoSuchStream' } }),
      writer('good', ['lines', '1', 'g'], { stdout_stream: { filename: file('good.log') }, stderr_stream: { class: 'QueueStream' } }),
    ]);
    assert.deepEqual(a.watchers.map((w) => w.name), ['good']);
    assert.ok(logger.has("Failed to create watcher: watcher 'bad': stdout_stream.class: unknown stream class 'NoSuchStream'"), logger.lines.join('\n'));
    await a.start();
    await waitFor('good output', () => read('good.log') === 'g out 0\n');
  });

  it('back-pressure: a fast writer into a slow stream never makes the daemon buffer more than a few chunks', async () => {
    const total = 4 * 1024 * 1024;
    const a = make([
      writer('w', ['flood', String(total)], {
        stdout_stream: { class: path.join(path.dirname(fixture('x')), 'slow-stream.js') + ':SlowStream', delay_ms: '3' },
        stderr_stream: { class: 'QueueStream' },
      }),
    ]);
    await a.start();
    const w = a.getWatcher('w');
    const slow = w.streams.stream('stdout') as unknown as { bytes: number; writes: number };
    await waitFor('every byte written by the slow stream', () => slow.bytes === total, 25000);
    const peak = w.streams.redirector.peakBufferedBytes;
    assert.ok(peak > 0, 'writes were pending');
    assert.ok(peak <= 256 * 1024, `peak buffered ${peak} bytes for ${total} written in ${slow.writes} writes`);
    assert.ok(slow.writes < total / 1024, 'chunks are as large as the pipe gives');
  });
});
