/**
 * circusd-stats against the built circusd (spec/protocol.md 5.1-5.2): a
 * real subscriber on its --statspoint sees every watcher's processes and
 * aggregates and the `circus` pseudo-watcher; circus-top under tmux shows
 * them; SIGTERM stops it cleanly.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { CircusSubscriber } from '../../../protocol/subscriber';
import { ROOT, Sandbox, waitFor } from './circusd-harness';
import { processesWith } from '../kernel/helpers';
import { TmuxPane } from './circus-top-tmux';

const STATS = path.join(ROOT, 'build', 'cli', 'circusd-stats.js');
const TOP = path.join(ROOT, 'build', 'cli', 'circus-top.js');
const PROCESS_FIELDS = ['mem_info1', 'mem_info2', 'cpu', 'mem', 'ctime', 'pid', 'username', 'nice', 'create_time', 'age', 'cmdline', 'children', 'subtopic', 'name'];

describe('circusd-stats (integration, against circusd)', function () {
  this.timeout(90_000);
  let sb: Sandbox;
  let stats: ChildProcess | null;
  let sub: CircusSubscriber | null;
  let pane: TmuxPane | null;

  beforeEach(() => {
    sb = new Sandbox();
    stats = null;
    sub = null;
    pane = null;
  });

  afterEach(async () => {
    pane?.kill();
    sub?.close();
    const marker = sb.dir;
    await sb.cleanup();
    await waitFor('no circusd-stats or circus-top left', () => processesWith(marker).length === 0, 10_000);
  });

  it('publishes stat.* for every watcher and circusd, which circus-top shows, and stops on SIGTERM', async () => {
    const config = sb.writeConfig(
      'circus.ini',
      `[circus]
check_delay = 1
endpoint = ipc://{dir}/ctl.sock
pubsub_endpoint = ipc://{dir}/pub.sock

[watcher:workers]
cmd = {node} {worker} {dir}
numprocesses = 2
graceful_timeout = 1

[watcher:Busy-One]
cmd = {node} -e "while (true) {}"
graceful_timeout = 1
`,
    );
    const daemon = sb.start([config]);
    const workers = await waitFor('two workers', () => (sb.workerPids().length === 2 ? sb.workerPids() : undefined), 20_000);
    const statspoint = `ipc://${sb.dir}/stats.sock`;
    const seen = new Map<string, Record<string, unknown>>();
    sub = new CircusSubscriber({ endpoint: statspoint, topics: ['stat.'] });
    sub.connect();
    void (async () => {
      for await (const [topic, body] of sub as CircusSubscriber) seen.set(topic.toString(), JSON.parse(body.toString()) as Record<string, unknown>);
    })();
    stats = spawn(process.execPath, [STATS, '--endpoint', `ipc://${sb.dir}/ctl.sock`, '--pubsub', `ipc://${sb.dir}/pub.sock`, '--statspoint', statspoint], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const statsPid = stats.pid as number;
    sb.track(statsPid);
    let statsErr = '';
    stats.stderr?.on('data', (d: Buffer) => (statsErr += d.toString()));
    const exited = new Promise<number | null>((resolve) => (stats as ChildProcess).once('exit', (code) => resolve(code)));

    await waitFor('worker, circus and busy topics', () =>
      workers.every((pid) => seen.has(`stat.workers.${pid}`)) &&
      seen.has('stat.workers') &&
      seen.has(`stat.circus.${daemon.pid}`) &&
      seen.has(`stat.circus.${statsPid}`) &&
      seen.has('stat.circus') &&
      [...seen.keys()].some((t) => /^stat\.busy-one\.\d+$/.test(t)), 30_000).catch((err: Error) => {
      throw new Error(`${err.message}; seen ${[...seen.keys()].join(' ')}; stderr ${statsErr}`);
    });
    const worker = seen.get(`stat.workers.${workers[0]}`) as Record<string, unknown>;
    assert.deepEqual(Object.keys(worker), PROCESS_FIELDS);
    assert.equal(worker.pid, workers[0]);
    assert.equal(worker.subtopic, workers[0]);
    assert.equal(worker.name, null);
    assert.deepEqual(worker.children, []);
    const agg = seen.get('stat.workers') as Record<string, unknown>;
    assert.deepEqual((agg.pid as number[]).slice().sort((a, b) => a - b), workers);
    assert.deepEqual(Object.keys(agg), ['pid', 'cpu', 'mem', 'age']);
    assert.equal(seen.get(`stat.circus.${daemon.pid}`)?.name, 'circusd');
    assert.equal(seen.get(`stat.circus.${statsPid}`)?.name, 'circusd-stats');
    // The busy loop shows CPU above zero once two samples were taken.
    await waitFor('busy CPU above zero', () => {
      const busy = [...seen].find(([t]) => /^stat\.busy-one\.\d+$/.test(t));
      return busy !== undefined && typeof busy[1].cpu === 'number' && busy[1].cpu > 0;
    }, 20_000);

    pane = new TmuxPane();
    const p = pane;
    p.type(`${process.execPath} ${TOP} --endpoint ${statspoint}; echo EXIT:$?`);
    await waitFor('circus-top rows', () => {
      const s = p.screen();
      return s.includes('busy.one') && s.includes('workers') && workers.every((pid) => s.includes(String(pid))) && s.includes(`${daemon.pid} (circusd)`);
    }, 20_000);
    p.tmux('send-keys', '-t', 'top', 'q');
    await waitFor('circus-top to exit 0', () => /^EXIT:0$/m.test(p.screen()), 15_000);

    stats.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  it('prints the version, and refuses an unknown option with status 2', async () => {
    const run = (args: string[]): Promise<{ code: number | null; out: string; err: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [STATS, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.once('close', (code) => resolve({ code, out, err }));
      });
    const version = await run(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.out, /^\d+\.\d+\.\d+\n$/);
    const bad = await run(['--bogus']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unrecognized arguments: --bogus/);
  });
});
