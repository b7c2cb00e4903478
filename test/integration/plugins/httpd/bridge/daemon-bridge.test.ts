/**
 * The panel's DaemonBridge against the real built circusd (statsd and
 * publish_output on): the state follows a stop/start made by another
 * client, events, stats and output arrive as panel messages, a daemon
 * stopped and restarted is reconnected, a bad endpoint reads as not
 * connected, and stop() leaves no socket (a process running a bridge ends
 * by itself once it is stopped).
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NullLogger } from '../../../../../kernel/index';
import { BridgeCallError, DaemonBridge, type PanelMessage } from '../../../../../plugins/httpd/bridge/index';
import { CircusClient } from '../../../../../protocol/client';
import { MemoryLogger } from '../../../../support/memory-logger';
import { processesWith } from '../../../kernel/helpers';
import { Sandbox, waitFor, type CircusdRun } from '../../../cli/circusd-harness';

const CHILD = path.join(__dirname, 'bridge-child.js');
/** statsd on, its endpoint in the sandbox (a default tcp port could be another test's). */
const STATSD = 'statsd = true\nstats_endpoint = ipc://{dir}/stats.sock';

/** A child that prints a numbered line to stdout every 100 ms, and burns a little CPU. */
const CHATTY = `let n = 0;
setInterval(() => {
  const until = Date.now() + 20;
  while (Date.now() < until) { /* busy, for the cpu figure */ }
  n += 1;
  process.stdout.write('chatty line ' + n + '\\n');
}, 100);
process.on('SIGTERM', () => process.exit(0));
`;

function config(extra: string): string {
  return `[circus]
check_delay = 1
endpoint = ipc://{dir}/ctl.sock
pubsub_endpoint = ipc://{dir}/pub.sock
${extra}

[watcher:workers]
cmd = {node} {worker} {dir}
numprocesses = 2
graceful_timeout = 1

[watcher:Chatty One]
cmd = {node} {dir}/chatty.js
graceful_timeout = 1
stdout_stream.class = FileStream
stdout_stream.filename = {dir}/chatty.log
`;
}

/** The unix-domain and other socket descriptors this process holds now. */
function socketFds(): number {
  let n = 0;
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:')) n += 1;
    } catch {
      // Closed while listing.
    }
  }
  return n;
}

describe('plugins/httpd/bridge: DaemonBridge (integration, against circusd)', function () {
  this.timeout(90_000);
  let sb: Sandbox;
  let bridges: DaemonBridge[];
  let clients: CircusClient[];
  let sockets: number;

  beforeEach(() => {
    sockets = socketFds();
    sb = new Sandbox();
    fs.writeFileSync(path.join(sb.dir, 'chatty.js'), CHATTY);
    bridges = [];
    clients = [];
  });

  afterEach(async () => {
    await Promise.all(bridges.map((b) => b.stop()));
    for (const c of clients) c.close();
    const marker = sb.dir;
    await sb.cleanup();
    await waitFor('no process of the test left', () => processesWith(marker).length === 0, 10_000);
    await waitFor(`the socket count back to ${sockets}`, () => socketFds() <= sockets, 10_000).catch((error: Error) => {
      throw new Error(`${error.message} (now ${socketFds()})`);
    });
  });

  const bridgeOn = (endpoint: string, log = new MemoryLogger(), timeout = 2): { bridge: DaemonBridge; messages: PanelMessage[]; log: MemoryLogger } => {
    const bridge = new DaemonBridge({ id: 'main', label: 'Main daemon', endpoint, timeout }, log);
    bridges.push(bridge);
    const messages: PanelMessage[] = [];
    bridge.onMessage((m) => messages.push(m));
    return { bridge, messages, log };
  };

  const clientOn = (endpoint: string): CircusClient => {
    const c = new CircusClient({ endpoint, timeout: 10 });
    clients.push(c);
    return c;
  };

  const startDaemon = async (extra: string): Promise<CircusdRun> => {
    const file = sb.writeConfig('circus.ini', config(extra));
    const run = sb.start([file]);
    await waitFor('two workers', () => sb.workerPids().length === 2, 20_000).catch((error: Error) => {
      throw new Error(`${error.message}; circusd stderr: ${run.stderr()}`);
    });
    return run;
  };

  it('follows the state, events, stats and output of a circusd with statsd and publish_output', async () => {
    await startDaemon(`${STATSD}\npublish_output = true`);
    const ctl = `ipc://${sb.dir}/ctl.sock`;
    const { bridge, messages } = bridgeOn(ctl);
    await bridge.start();

    const info = bridge.info();
    assert.equal(info.connected, true, `connected: ${JSON.stringify(info)}`);
    assert.equal(info.error, null);
    assert.equal(info.tail, true, `tail: ${JSON.stringify(info)}`);
    assert.deepEqual({ id: info.id, label: info.label, endpoint: info.endpoint }, { id: 'main', label: 'Main daemon', endpoint: ctl });
    const names = bridge.state().map((w) => w.name);
    assert.deepEqual(names, [...names].sort(), 'sorted by name');
    assert.ok(names.includes('workers') && names.includes('Chatty One') && names.includes('circusd-stats'), `watchers ${names.join(',')}`);
    const workers = bridge.state().find((w) => w.name === 'workers');
    assert.equal(workers?.status, 'active');
    assert.deepEqual([...(workers?.pids ?? [])].sort((a, b) => a - b), sb.workerPids());
    assert.equal(messages[0]?.type, 'daemon', 'the daemon info comes first');
    assert.ok(messages.some((m) => m.type === 'state'));

    // Stats: samples arrive batched, with cpu figures, and turn stats on.
    await waitFor('stats on', () => bridge.info().stats, 20_000);
    assert.equal(bridge.info().statsReason, null);
    const chattyPid = bridge.state().find((w) => w.name === 'Chatty One')?.pids[0];
    assert.ok(chattyPid !== undefined);
    await waitFor('a cpu figure above zero for the chatty process', () =>
      messages.some((m) => m.type === 'stats' && m.samples.some((s) => s.watcher === 'Chatty One' && s.pid === chattyPid && s.cpu !== null && s.cpu > 0)), 20_000);
    const stats = messages.filter((m): m is Extract<PanelMessage, { type: 'stats' }> => m.type === 'stats');
    const aggregate = stats.flatMap((m) => m.samples).find((s) => s.watcher === 'workers' && s.pid === null);
    assert.ok(aggregate !== undefined, 'the workers aggregate');
    assert.equal(typeof aggregate.cpu, 'number');
    const proc = stats.flatMap((m) => m.samples).find((s) => s.watcher === 'workers' && s.pid !== null);
    assert.match(String(proc?.mem_info1), /^\d+(\.\d+)?[BKMG]$/);
    assert.ok(stats.every((m) => m.daemon === 'main' && typeof m.time === 'number'));

    // Output: the chatty child's lines, under the watcher's own name.
    await waitFor('a chatty line in an output message', () =>
      messages.some((m) => m.type === 'output' && m.watcher === 'Chatty One' && m.stream === 'stdout' && m.pid === chattyPid && /chatty line \d+/.test(m.data)), 20_000);

    // Another client stops the workers: events arrive, the state follows.
    const other = clientOn(ctl);
    const stopped = await other.call('stop', { name: 'workers', waiting: true });
    assert.equal(stopped.status, 'ok');
    await waitFor('workers stopped in the state', () => {
      const w = bridge.state().find((x) => x.name === 'workers');
      return w?.status === 'stopped' && w.pids.length === 0;
    }, 15_000);
    await waitFor('a stop event', () => messages.some((m) => m.type === 'event' && m.event === 'stop' && m.watcher === 'workers'), 10_000);
    const kill = messages.find((m): m is Extract<PanelMessage, { type: 'event' }> => m.type === 'event' && m.event === 'reap');
    assert.ok(kill !== undefined, 'a reap event');
    assert.match(kill.topic, /^watcher\.workers\.reap$/);
    assert.equal(typeof kill.data.process_pid, 'number');
    const last = [...messages].reverse().find((m): m is Extract<PanelMessage, { type: 'state' }> => m.type === 'state');
    assert.deepEqual(last?.watchers.find((w) => w.name === 'workers'), { name: 'workers', status: 'stopped', pids: [] });

    // ... and starts them again.
    assert.equal((await other.call('start', { name: 'workers', waiting: true })).status, 'ok');
    await waitFor('workers active again with two pids', () => {
      const w = bridge.state().find((x) => x.name === 'workers');
      return w?.status === 'active' && w.pids.length === 2;
    }, 15_000);
  });

  it('passes commands through and replies as is; a command to a down daemon is a BridgeCallError', async () => {
    await startDaemon('');
    const ctl = `ipc://${sb.dir}/ctl.sock`;
    const { bridge } = bridgeOn(ctl);
    await bridge.start();
    const reply = await bridge.call('numwatchers', {});
    assert.equal(reply.status, 'ok');
    assert.equal(reply.numwatchers, bridge.state().length);
    assert.deepEqual(bridge.state().map((w) => w.name), ['Chatty One', 'workers']);
    // Without publish_output the tail is off, and the panel says why.
    assert.equal(bridge.info().tail, false);
    assert.match(String(bridge.info().tailReason), /publish_output is off in circusd/);
    assert.equal(typeof reply.id, 'string', 'the reply as is, id included');
    const missing = await bridge.call('status', { name: 'nope' });
    assert.equal(missing.status, 'error');
    assert.equal(missing.errno, 3);
    // A mutating call refreshes the state without waiting for the tick.
    assert.equal((await bridge.call('incr', { name: 'workers', nb: 1, waiting: true })).status, 'ok');
    await waitFor('three workers in the state', () => bridge.state().find((w) => w.name === 'workers')?.pids.length === 3, 15_000);

    const down = bridgeOn(`ipc://${sb.dir}/nobody.sock`, new MemoryLogger(), 1).bridge;
    const error = await down.call('status', {}).then(
      () => assert.fail('a reply from nobody'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof BridgeCallError);
    assert.equal(error.code, 'E_BRIDGE_CALL');
    assert.equal(error.command, 'status');
    assert.match(error.message, new RegExp(`ipc://${sb.dir}/nobody\\.sock.*'status'.*Timed out`));
  });

  it('reports a bad endpoint as not connected, and reconnects a daemon stopped and restarted', async () => {
    const ctl = `ipc://${sb.dir}/ctl.sock`;
    const { bridge, messages, log } = bridgeOn(ctl, new MemoryLogger(), 1);
    await bridge.start();
    assert.equal(bridge.info().connected, false);
    assert.match(String(bridge.info().error), new RegExp(`${ctl.replace(/\./g, '\\.')} did not answer 'globaloptions': Timed out`));
    assert.ok(log.has('retrying'), log.lines.join('\n'));

    const first = await startDaemon(STATSD);
    await waitFor('connected once the daemon is up', () => bridge.info().connected, 20_000);
    await waitFor('stats on', () => bridge.info().stats, 20_000);
    const before = bridge.state().find((w) => w.name === 'workers')?.pids ?? [];
    assert.equal(before.length, 2);

    first.child.kill('SIGTERM');
    await first.exited;
    await waitFor('not connected once the daemon is gone', () => !bridge.info().connected, 20_000);
    assert.ok(bridge.info().error !== null);
    assert.equal(bridge.info().stats, false);
    assert.equal(bridge.info().statsReason, 'the daemon is not connected');

    await startDaemon(STATSD);
    await waitFor('connected again', () => bridge.info().connected, 30_000);
    await waitFor('the new workers in the state', () => {
      const pids = bridge.state().find((w) => w.name === 'workers')?.pids ?? [];
      return pids.length === 2 && pids.every((p) => !before.includes(p));
    }, 20_000);
    await waitFor('stats on again', () => bridge.info().stats, 20_000);
    const infos = messages.filter((m): m is Extract<PanelMessage, { type: 'daemon' }> => m.type === 'daemon').map((m) => m.info.connected);
    assert.deepEqual(infos.filter((c, i) => i === 0 || c !== infos[i - 1]).slice(-3), [true, false, true]);
  });

  it('reports an endpoint zeromq refuses as not connected, and keeps the error', async () => {
    const { bridge } = bridgeOn('bogus://nowhere', new MemoryLogger(), 1);
    await bridge.start();
    const info = bridge.info();
    assert.equal(info.connected, false);
    assert.match(String(info.error), /bogus:\/\/nowhere did not answer 'globaloptions': .+/);
  });

  it('stop() leaves nothing running: a process with a bridge ends by itself', async () => {
    await startDaemon(`${STATSD}\npublish_output = true`);
    const runChild = (endpoint: string, mode: string): Promise<{ code: number | null; out: string; err: string }> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CHILD, endpoint, mode, sb.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`the bridge process did not end by itself (${mode}); out ${out} err ${err}`));
        }, 40_000);
        child.once('close', (code) => {
          clearTimeout(timer);
          resolve({ code, out, err });
        });
      });
    const live = await runChild(`ipc://${sb.dir}/ctl.sock`, 'live');
    assert.equal(live.code, 0, live.err);
    const liveSeen = JSON.parse(live.out) as { info: { connected: boolean }; seen: string[] };
    assert.deepEqual(liveSeen.seen.filter((t) => ['daemon', 'state', 'stats'].includes(t)), ['daemon', 'state', 'stats']);
    assert.equal(liveSeen.info.connected, true);

    const down = await runChild(`ipc://${sb.dir}/nobody.sock`, 'down');
    assert.equal(down.code, 0, down.err);
    assert.equal((JSON.parse(down.out) as { info: { connected: boolean } }).info.connected, false);
  });

  it('stops cleanly while the first attempt is still waiting, and refuses calls afterwards', async () => {
    const bridge = new DaemonBridge({ id: 'x', label: 'x', endpoint: `ipc://${sb.dir}/nobody.sock`, timeout: 5 }, new NullLogger());
    bridges.push(bridge);
    const started = bridge.start();
    await bridge.stop();
    await started;
    assert.equal(bridge.info().connected, false);
    await assert.rejects(bridge.call('status', {}), (e: unknown) => e instanceof BridgeCallError && /panel is stopping/.test(e.message));
  });
});
