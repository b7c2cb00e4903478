/**
 * The stats endpoint of the built circusd (spec/protocol.md 5.2,
 * spec/daemon.md 6.4): with statsd on, a real zeromq SUB socket on
 * stats_endpoint sees `stat.*` frames with every field, a busy child shows
 * CPU above zero, a growing child shows RSS growing, `stats`/`dstats`
 * answer the same figures from the same sampler, and a subscriber that
 * goes away does not stop the stream.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Subscriber } from 'zeromq';
import { decodeStat, type DecodedStat } from '../../../../protocol/stats-topics';
import { human2bytes } from '../../../../protocol/human-size';
import { CircusdRun, ROOT, Sandbox, waitFor } from '../../cli/circusd-harness';
import { Control, endDaemon } from '../pubsub/pubsub-helpers';

const BUSY = `'use strict';
// Burns CPU in short slices so signals are still handled.
setInterval(() => { const end = Date.now() + 80; while (Date.now() < end); }, 100);
`;
const GROW = `'use strict';
// Touches 4 MB more every 100 ms, up to 120 MB, then holds it.
const held = [];
const t = setInterval(() => { held.push(Buffer.alloc(4 << 20, 1)); if (held.length >= 30) clearInterval(t); }, 100);
setInterval(() => held.length, 1 << 30);
`;
const PROCESS_KEYS = ['mem_info1', 'mem_info2', 'cpu', 'mem', 'ctime', 'pid', 'username', 'nice', 'create_time', 'age', 'cmdline', 'children', 'subtopic', 'name'];

/** Every stats message received, decoded, until closed. */
class StatsTap {
  readonly sub = new Subscriber({ linger: 0 });
  readonly seen: DecodedStat[] = [];
  readonly raw: string[] = [];
  private readonly loop: Promise<void>;

  constructor(endpoint: string) {
    this.sub.connect(endpoint);
    this.sub.subscribe('stat.');
    this.loop = (async () => {
      try {
        for await (const [topic, body] of this.sub) {
          const d = decodeStat(topic, body);
          if (d) this.seen.push(d);
          this.raw.push(body.toString('utf8'));
        }
      } catch (err) {
        // Closing the socket ends the iteration with an error: expected at close.
        if (!this.sub.closed) throw err;
      }
    })();
  }

  /** Records of `watcher` with a subtopic (per process), in arrival order. */
  records(watcher: string): Record<string, unknown>[] {
    return this.seen.filter((d) => d.watcher === watcher && d.subtopic !== null).map((d) => d.body);
  }

  aggregates(watcher: string): Record<string, unknown>[] {
    return this.seen.filter((d) => d.watcher === watcher && d.subtopic === null).map((d) => d.body);
  }

  async close(): Promise<void> {
    this.sub.close();
    await this.loop;
  }
}

describe('stats streamer of the built circusd (plugins/stats)', function () {
  this.timeout(90_000);
  let box: Sandbox;
  let run: CircusdRun | null = null;
  let ctl: Control | null = null;
  const taps: StatsTap[] = [];

  beforeEach(() => {
    box = new Sandbox();
  });

  afterEach(async () => {
    for (const t of taps.splice(0)) if (!t.sub.closed) await t.close();
    ctl?.close();
    ctl = null;
    if (run) await endDaemon(box, run);
    run = null;
    await box.cleanup();
  });

  async function daemon(extra = ''): Promise<{ ctl: Control; tap: StatsTap }> {
    writeFileSync(path.join(box.dir, 'busy.js'), BUSY);
    writeFileSync(path.join(box.dir, 'grow.js'), GROW);
    const hog = path.join(ROOT, 'test', 'fixtures', 'programs', 'mem-hog.js');
    const config = box.writeConfig(
      'c.ini',
      `[circus]
check_delay = 1
endpoint = ipc://{dir}/ctl.sock
pubsub_endpoint = ipc://{dir}/pub.sock
stats_endpoint = ipc://{dir}/stats.sock
statsd = true

[watcher:Busy]
cmd = {node} {dir}/busy.js
graceful_timeout = 1

[watcher:grow]
cmd = {node} {dir}/grow.js
graceful_timeout = 1

[watcher:hog]
cmd = {node} ${hog} 20 {dir}
numprocesses = 2
graceful_timeout = 1
${extra}`,
    );
    run = box.start([config]);
    ctl = new Control(`ipc://${box.dir}/ctl.sock`);
    const c = ctl;
    await waitFor('circusd answering', async () => (await c.request('numwatchers')).status === 'ok' || undefined, 20_000);
    const tap = new StatsTap(`ipc://${box.dir}/stats.sock`);
    taps.push(tap);
    return { ctl, tap };
  }

  it('publishes stat.<watcher>.<pid>, stat.<watcher>, stat.circus.<pid> and stat.circus with every field; busy CPU > 0; growing RSS', async () => {
    const { ctl, tap } = await daemon();
    const hogPids = ((await ctl.call('list', { name: 'hog' })).pids as number[]).slice().sort();
    assert.equal(hogPids.length, 2);
    await waitFor('a busy sample with CPU above 0', () => tap.records('busy').some((r) => typeof r.cpu === 'number' && r.cpu > 0) || undefined, 20_000);
    await waitFor('the grow child RSS growing', () => {
      const rss = tap.records('grow').map((r) => human2bytes(String(r.mem_info1)));
      return (rss.length >= 2 && rss[rss.length - 1] > rss[0] + 8 * 1024 * 1024) || undefined;
    }, 20_000);
    await waitFor('hog aggregates with both pids', () => tap.aggregates('hog').some((a) => JSON.stringify([...(a.pid as number[])].sort()) === JSON.stringify(hogPids)) || undefined, 10_000);

    const rec = tap.records('hog').find((r) => r.pid === hogPids[0]);
    assert.ok(rec);
    assert.deepEqual(Object.keys(rec), PROCESS_KEYS);
    assert.equal(rec.subtopic, rec.pid);
    assert.equal(rec.name, null);
    assert.deepEqual(rec.children, []);
    assert.equal(rec.cmdline, path.basename(process.execPath));
    assert.match(String(rec.mem_info1), /^\d+\.\d\dM$/);
    const agg = tap.aggregates('hog').at(-1) as Record<string, unknown>;
    assert.deepEqual(Object.keys(agg), ['pid', 'cpu', 'mem', 'age']);
    // Floats stay floats on the wire, as Python's json.dumps writes them.
    assert.ok(tap.raw.some((b) => /"cpu": 0\.0[,}]/.test(b) || /"cpu": \d+\.\d+/.test(b)));

    const dstats = (await ctl.call('dstats')).info as Record<string, unknown>;
    await waitFor('stat.circus for circusd', () => tap.records('circus').some((r) => r.pid === dstats.pid) || undefined, 10_000);
    const self = tap.records('circus').find((r) => r.pid === dstats.pid) as Record<string, unknown>;
    assert.equal(self.name, 'circusd');
    assert.equal(self.subtopic, run?.pid);
    assert.deepEqual(tap.aggregates('circus').at(-1)?.pid, [run?.pid]);
    for (const key of ['pid', 'username', 'create_time', 'cmdline', 'nice']) assert.deepEqual(self[key], dstats[key], `dstats ${key}`);

    // Same sampler: the stats reply describes the same process the same way.
    const stats = (await ctl.call('stats', { name: 'hog' })).info as Record<string, Record<string, unknown>>;
    const fromStats = stats[String(hogPids[0])];
    for (const key of ['pid', 'username', 'create_time', 'cmdline', 'nice', 'mem_info2']) assert.deepEqual(fromStats[key], rec[key], `stats ${key}`);
    assert.equal(fromStats.wid !== undefined, true);

    // The streamer is the circusd-stats facade: listed as a watcher, active, with no pids of its own.
    assert.ok(((await ctl.call('list')).watchers as string[]).includes('circusd-stats'));
    assert.deepEqual((await ctl.call('list', { name: 'circusd-stats' })).pids, []);
    assert.equal((await ctl.request('status', { name: 'circusd-stats' })).status, 'active');
    assert.equal(tap.seen.some((d) => d.watcher === 'circusd-stats'), false);
  });

  it('a subscriber that goes away never breaks the sampler; a stopped watcher topics disappear', async () => {
    const { ctl, tap } = await daemon();
    const quitter = new StatsTap(`ipc://${box.dir}/stats.sock`);
    taps.push(quitter);
    await waitFor('the quitter receiving', () => quitter.seen.length > 0 || undefined, 20_000);
    await quitter.close();
    const before = tap.aggregates('hog').length;
    await waitFor('the remaining tap still receiving', () => tap.aggregates('hog').length >= before + 2 || undefined, 20_000);
    await ctl.call('stop', { name: 'hog', waiting: true });
    const mark = tap.seen.length;
    await waitFor('two more circus aggregates', () => tap.seen.slice(mark).filter((d) => d.watcher === 'circus' && d.subtopic === null).length >= 2 || undefined, 20_000);
    const lastTick = tap.seen.slice(mark);
    const circusAt = lastTick.findIndex((d) => d.watcher === 'circus' && d.subtopic === null);
    assert.equal(lastTick.slice(circusAt + 1).some((d) => d.watcher === 'hog'), false);
  });

  it('stat.sockets.<fd> counts the polls with a pending connection; stat.sockets sums them', async () => {
    const { ctl, tap } = await daemon(`
[socket:web]
host = 127.0.0.1
port = 0

[socket:unix]
path = {dir}/u.sock
family = AF_UNIX
`);
    const sockets = (await ctl.call('listsockets')).sockets as { fd: number; host?: string; port?: number; path?: string }[];
    const tcp = sockets.find((s) => s.port !== undefined);
    assert.ok(tcp);
    // Nobody accepts on the circus socket, so these connections stay pending.
    const clients: net.Socket[] = [];
    try {
      for (let i = 0; i < 3; i += 1) {
        const c = net.connect(tcp.port as number, '127.0.0.1');
        c.on('error', () => undefined);
        clients.push(c);
      }
      const address = `127.0.0.1:${tcp.port}`;
      await waitFor('reads on the tcp socket', () => tap.records('sockets').some((r) => r.address === address && (r.reads as number) > 0) || undefined, 20_000);
      const one = tap.records('sockets').find((r) => r.address === address) as Record<string, unknown>;
      assert.deepEqual(Object.keys(one), ['fd', 'subtopic', 'reads', 'address']);
      assert.equal(one.fd, tcp.fd);
      assert.equal(one.subtopic, tcp.fd);
      const unix = tap.records('sockets').find((r) => r.address === `${box.dir}/u.sock`);
      assert.ok(unix);
      assert.equal(unix.reads, 0);
      const total = tap.aggregates('sockets').at(-1) as Record<string, unknown>;
      assert.deepEqual(Object.keys(total), ['addresses', 'reads']);
      assert.deepEqual([...(total.addresses as string[])].sort(), [address, `${box.dir}/u.sock`].sort());
    } finally {
      for (const c of clients) c.destroy();
    }
  });
});
