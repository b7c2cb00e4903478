/**
 * circus-top as a person uses it: under a real terminal (tmux, private
 * server), fed by a real ZeroMQ publisher of spec-shaped `stat.*` frames
 * (spec/protocol.md 5.2), the screen read with capture-pane, quit with q or
 * Ctrl-C, and the shell's terminal checked afterwards.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Publisher } from 'zeromq';
import { processesWith } from '../kernel/helpers';
import { TmuxPane } from './circus-top-tmux';
import { ROOT, waitFor } from './circusd-harness';

const TOP = path.join(ROOT, 'build', 'cli', 'circus-top.js');

/** Publishes `frames()` every 200 ms until stopped (bounded to 2 minutes). */
class FramePublisher {
  private readonly socket = new Publisher({ linger: 0 });
  private running = true;
  private loop: Promise<void> = Promise.resolve();

  constructor(readonly endpoint: string) {}

  async start(frames: () => [string, Record<string, unknown>][]): Promise<void> {
    await this.socket.bind(this.endpoint);
    this.loop = (async () => {
      const deadline = Date.now() + 120_000;
      while (this.running && Date.now() < deadline) {
        for (const [topic, body] of frames()) await this.socket.send([topic, JSON.stringify(body)]);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.socket.close();
  }
}

const proc = (pid: number, cpu: number | string, name: string | null = null): Record<string, unknown> => ({
  mem_info1: '1.34M', mem_info2: '2.44M', cpu, mem: 0.006, ctime: '0:00.0', pid, username: 'root', nice: 0,
  create_time: 1795459650.43, age: 1.31, cmdline: 'sleep', children: [], subtopic: pid, name,
});

describe('circus-top (integration, under tmux)', function () {
  this.timeout(60_000);
  let dir: string;
  let pane: TmuxPane | null;
  let publisher: FramePublisher | null;
  let endpoint: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'circus-top-'));
    endpoint = `ipc://${dir}/stats.sock`;
    pane = null;
    publisher = null;
  });

  afterEach(async () => {
    pane?.kill();
    await publisher?.stop();
    await waitFor('no circus-top left', () => processesWith(dir).length === 0, 10_000);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const startTop = (extra = ''): TmuxPane => {
    const p = new TmuxPane();
    p.type(`${process.execPath} ${TOP} --endpoint ${endpoint} ${extra}; echo EXIT:$?`);
    return p;
  };

  const assertRestored = async (p: TmuxPane): Promise<void> => {
    await waitFor('circus-top to exit 0', () => /^EXIT:0$/m.test(p.screen()), 15_000);
    assert.equal(p.variable('alternate_on'), '0', 'back on the main screen');
    assert.equal(p.variable('cursor_flag'), '1', 'cursor visible');
    // Canonical mode and echo are back: the shell's terminal is as it was.
    p.type(`stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e echo | tr '\\n' ' '; echo END`);
    const modes = await waitFor('stty output', () => /^(.*)END$/m.exec(p.screen().split('\n').filter((l) => !l.includes('stty')).join('\n'))?.[1]);
    assert.equal(modes.trim(), 'icanon echo');
  };

  it('shows the watchers, their processes and sockets, skips circusd-stats, and quits on q', async () => {
    publisher = new FramePublisher(endpoint);
    await publisher.start(() => [
      ['stat.web.4242', proc(4242, 12.5)],
      ['stat.web.4243', proc(4243, 'N/A')],
      ['stat.web', { pid: [4242, 4243], cpu: 'N/A', mem: 0.012, age: 1.3 }],
      ['stat.big-one.5000', proc(5000, 0.0)],
      ['stat.big-one', { pid: [5000], cpu: 0.0, mem: 0.006, age: 1.31 }],
      ['stat.circus.7000', proc(7000, 1.0, 'circusd')],
      ['stat.circus', { pid: [7000], cpu: 1.0, mem: 0.27, age: 1.47 }],
      ['stat.circusd-stats.7001', proc(7001, 0.0)],
      ['stat.sockets.6', { fd: 6, subtopic: 6, reads: 0, address: '/path/u.sock' }],
      ['stat.sockets.7', { fd: 7, subtopic: 7, reads: 100, address: '127.0.0.1:25581' }],
      ['stat.sockets', { addresses: ['/path/u.sock', '127.0.0.1:25581'], reads: 100 }],
    ]);
    pane = startTop();
    const p = pane;
    const screen = await waitFor('the watchers on screen', () => {
      const s = p.screen();
      return s.includes('web') && s.includes('4243') && s.includes('127.0.0.1:25581') && s.includes('7000 (circusd)') ? s : undefined;
    }, 20_000);
    const lines = screen.split('\n');
    assert.equal(lines[0].trim(), 'Circus Top');
    assert.match(lines[1], /^-{70}$/);
    assert.ok(lines.some((l) => l === 'big.one'), 'dashes in names shown as dots');
    assert.ok(lines.some((l) => /^ {3}PID {22}CPU \(%\) {13}MEMORY \(%\) {10}AGE \(s\)$/.test(l)), 'the header at columns 3/28/48/68');
    assert.ok(lines.some((l) => /^ {3}4242 +12\.50 +0\.01 +1\.31$/.test(l)), 'a process row');
    assert.ok(lines.some((l) => /^ {3}4243 +N\/A +0\.01 +1\.31$/.test(l)), 'an N/A row');
    assert.ok(lines.some((l) => /^ {28}N\/A \(avg\) +0\.01 \(sum\) +1\.30 \(older\)$/.test(l)), 'the aggregate row');
    assert.ok(lines.some((l) => /^ {3}127\.0\.0\.1:25581 +100$/.test(l)), 'a socket row');
    assert.ok(lines.some((l) => /^ {28}100 \(sum\)$/.test(l)), 'the sockets total');
    assert.ok(!screen.includes('7001') && !screen.includes('circusd-stats'), 'circusd-stats is not shown');
    // Sorted by name: big-one, circus, sockets, web.
    const order = ['big.one', 'circus', 'sockets', 'web'].map((n) => lines.indexOf(n));
    assert.deepEqual([...order].sort((a, b) => a - b), order);
    assert.equal(p.variable('alternate_on'), '1', 'full screen while running');
    p.tmux('send-keys', '-t', 'top', 'q');
    await assertRestored(p);
  });

  it('waits for data, then quits on Ctrl-C with the terminal restored', async () => {
    pane = startTop();
    const p = pane;
    await waitFor('the waiting banner', () => p.screen().includes('*** Waiting for data ***'), 20_000);
    p.tmux('send-keys', '-t', 'top', 'C-c');
    await assertRestored(p);
  });

  it('drops a process row that got no sample within --process-timeout', async () => {
    let withRow = true;
    publisher = new FramePublisher(endpoint);
    await publisher.start(() => [
      ['stat.web.4242', proc(4242, 1.0)],
      ...(withRow ? [['stat.web.5151', proc(5151, 2.0)] as [string, Record<string, unknown>]] : []),
      ['stat.web', { pid: [4242], cpu: 1.0, mem: 0.006, age: 1.3 }],
    ]);
    pane = startTop('--process-timeout 1');
    const p = pane;
    await waitFor('pid 5151 on screen', () => p.screen().includes('5151'), 20_000);
    withRow = false;
    await waitFor('pid 5151 dropped', () => !p.screen().includes('5151') && p.screen().includes('4242'), 20_000);
    p.tmux('send-keys', '-t', 'top', 'q');
    await assertRestored(p);
  });

  it('prints the version and the help without touching the terminal', () => {
    const version = execFileSync(process.execPath, [TOP, '--version'], { encoding: 'utf8' });
    assert.match(version, /^\d+\.\d+\.\d+\n$/);
    const help = execFileSync(process.execPath, [TOP, '--help'], { encoding: 'utf8' });
    assert.match(help, /--process-timeout/);
  });
});
