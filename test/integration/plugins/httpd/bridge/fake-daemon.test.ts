/**
 * The DaemonBridge against a daemon that speaks exactly Python Circus
 * 0.19.0's wire (spec/protocol.md 2.5, 2.9, 2.24, 4.1): a fake ROUTER
 * answering globaloptions / status / list with Circus's replies (no
 * publish_output, endpoints bound on 0.0.0.0) and a real PUB publishing a
 * `watcher.` event. The bridge must find the pub/sub endpoint through the
 * control endpoint's host, refresh the state on the event, say why the tail
 * and the charts are off, and send nothing but Circus commands.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Publisher } from 'zeromq';
import { BridgeCallError, DaemonBridge, type PanelMessage } from '../../../../../plugins/httpd/bridge/index';
import { MemoryLogger } from '../../../../support/memory-logger';
import { FakeCircusd } from '../../../cli/fake-circusd';
import { waitFor } from '../../../cli/circusd-harness';

describe('plugins/httpd/bridge: DaemonBridge on the Python Circus wire (integration, fake daemon)', function () {
  this.timeout(60_000);
  let dir: string;
  let daemon: FakeCircusd | null;
  let pub: Publisher | null;
  let bridge: DaemonBridge | null;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-py-'));
    daemon = null;
    pub = null;
    bridge = null;
  });

  afterEach(async () => {
    await bridge?.stop();
    pub?.close();
    await daemon?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Binds the PUB and the fake ROUTER; `mute` makes the fake stop answering. */
  const fakeDaemon = async (checkDelay: number): Promise<{ control: string; table: Record<string, { status: string; pids: number[] }>; mute: { on: boolean } }> => {
    pub = new Publisher({ linger: 0 });
    await pub.bind('tcp://127.0.0.1:*');
    const pubPort = /:(\d+)$/.exec(pub.lastEndpoint as string)?.[1];
    const table: Record<string, { status: string; pids: number[] }> = { web: { status: 'active', pids: [101, 102] }, 'circusd-stats': { status: 'active', pids: [] } };
    const mute = { on: false };
    daemon = new FakeCircusd('tcp://127.0.0.1:0', (req) => {
      if (mute.on) return undefined;
      const props = (req.json.properties ?? {}) as Record<string, unknown>;
      const time = Date.now() / 1000;
      switch (req.json.command) {
        case 'globaloptions':
          return {
            status: 'ok', time, options: {
              endpoint: 'tcp://127.0.0.1:5555',
              stats_endpoint: `ipc://${dir}/no-stats.sock`,
              pubsub_endpoint: `tcp://0.0.0.0:${pubPort}`,
              check_delay: checkDelay,
              multicast_endpoint: 'udp://237.219.251.97:12027',
            },
          };
        case 'status':
          return { status: 'ok', time, statuses: Object.fromEntries(Object.entries(table).map(([n, w]) => [n, w.status])) };
        case 'list': {
          const w = table[String(props.name)];
          return w === undefined ? { status: 'error', reason: `program ${String(props.name)} not found`, errno: 3, time } : { status: 'ok', time, pids: w.pids };
        }
        case 'numwatchers':
          return { status: 'ok', time, numwatchers: Object.keys(table).length };
        default:
          return { status: 'error', reason: `unexpected ${String(req.json.command)}`, errno: 5, time };
      }
    });
    await daemon.start();
    return { control: daemon.boundEndpoint, table, mute };
  };

  it('follows a Python-style circusd: wildcard hosts, events, no tail, no stats', async () => {
    const { control, table } = await fakeDaemon(60.0);
    const log = new MemoryLogger();
    bridge = new DaemonBridge({ id: 'py', label: 'Python', endpoint: control, timeout: 2 }, log);
    const messages: PanelMessage[] = [];
    bridge.onMessage((m) => messages.push(m));
    await bridge.start();

    const info = bridge.info();
    assert.equal(info.connected, true, JSON.stringify(info));
    assert.equal(info.tail, false);
    assert.equal(info.tailReason, 'publish_output is off in circusd (or it is not a circus-ts daemon)');
    assert.deepEqual(bridge.state(), [
      { name: 'circusd-stats', status: 'active', pids: [] },
      { name: 'web', status: 'active', pids: [101, 102] },
    ]);
    await waitFor('the no-stats reason', () => bridge?.info().statsReason?.startsWith(`no stats from ipc://${dir}/no-stats.sock: is statsd on`), 10_000);
    assert.equal(bridge.info().stats, false);

    // The web watcher stops: the state is read again on the event (check_delay is 60 s here).
    table.web = { status: 'stopped', pids: [] };
    const socket = pub as Publisher;
    const b = bridge;
    await waitFor('the stop event through the 0.0.0.0-advertised endpoint', () => {
      void socket.send(['watcher.web.stop', JSON.stringify({ time: Date.now() / 1000 })]).catch(() => undefined);
      return messages.some((m) => m.type === 'event');
    }, 10_000);
    const event = messages.find((m): m is Extract<PanelMessage, { type: 'event' }> => m.type === 'event');
    assert.deepEqual({ ...event, data: undefined }, { type: 'event', daemon: 'py', topic: 'watcher.web.stop', watcher: 'web', event: 'stop', data: undefined });
    assert.equal(typeof event?.data.time, 'number');
    await waitFor('web stopped in the state', () => b.state().find((w) => w.name === 'web')?.status === 'stopped', 10_000);
    assert.deepEqual(b.state().find((w) => w.name === 'web'), { name: 'web', status: 'stopped', pids: [] });

    const commands = new Set((daemon as FakeCircusd).requests.map((r) => r.json.command));
    assert.deepEqual([...commands].sort(), ['globaloptions', 'list', 'status']);
    assert.ok((daemon as FakeCircusd).requests.every((r) => r.frames === 1), 'one frame per request, no delimiter');
    assert.equal(log.notices.filter((l) => l.startsWith('ERROR')).length, 0, log.lines.join('\n'));
  });

  it('emits state only when it changes, and a throwing listener harms no other', async () => {
    const { control, table } = await fakeDaemon(0.5);
    const log = new MemoryLogger();
    const b = new DaemonBridge({ id: 'py', label: 'Python', endpoint: control, timeout: 2 }, log);
    bridge = b;
    b.onMessage(() => {
      throw new Error('a closed websocket');
    });
    const messages: PanelMessage[] = [];
    b.onMessage((m) => messages.push(m));
    await b.start();
    const fake = daemon as FakeCircusd;
    const statusCalls = (): number => fake.requests.filter((r) => r.json.command === 'status').length;
    await waitFor('three periodic refreshes', () => statusCalls() >= 4, 15_000);
    assert.equal(messages.filter((m) => m.type === 'state').length, 1, 'the same state is not sent again');
    assert.ok(log.has("listener of 'state' failed: a closed websocket"), log.lines.join('\n'));

    table.web = { status: 'active', pids: [101, 102, 103] };
    await waitFor('the new pid in a state message', () =>
      messages.some((m) => m.type === 'state' && m.watchers.some((w) => w.name === 'web' && w.pids.length === 3)), 15_000);
    assert.equal(messages.filter((m) => m.type === 'state').length, 2);
  });

  it('a daemon that stops answering: the call rejects, the clients are replaced, connected comes back', async () => {
    const { control, mute } = await fakeDaemon(60.0);
    const log = new MemoryLogger();
    const b = new DaemonBridge({ id: 'py', label: 'Python', endpoint: control, timeout: 1 }, log);
    bridge = b;
    await b.start();
    assert.equal(b.info().connected, true);
    const fake = daemon as FakeCircusd;
    const identities = (): number => new Set(fake.requests.map((r) => r.identity.toString('hex'))).size;
    assert.equal(identities(), 1, 'one DEALER for the bridge so far');

    mute.on = true;
    await assert.rejects(b.call('numwatchers', {}), (e: unknown) =>
      e instanceof BridgeCallError && e.command === 'numwatchers' && e.message === `circusd at ${control} did not answer 'numwatchers': Timed out.`);
    // The failed call makes the bridge check at once (check_delay is 60 s here).
    await waitFor('not connected', () => !b.info().connected, 10_000);
    assert.match(String(b.info().error), /did not answer 'globaloptions': Timed out\./);
    assert.ok(log.has('retrying'), log.lines.join('\n'));

    mute.on = false;
    await waitFor('connected again', () => b.info().connected, 15_000);
    assert.equal((await b.call('numwatchers', {})).numwatchers, 2);
    // The user's DEALER and the bridge's both timed out, so both were replaced: four identities in all.
    assert.ok(identities() >= 4, `identities ${identities()}`);
  });
});
