import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { Dealer } from 'zeromq';
import { Sandbox, waitFor, WORKER, type CircusdRun } from '../../cli/circusd-harness';
import { freePort } from '../control/control-helpers';

const T = '\\d+\\.\\d+(e[+-]\\d+)?';

/** One raw DEALER: sends a JSON text, returns the reply's raw text. */
class RawClient {
  private readonly dealer = new Dealer({ linger: 0, receiveTimeout: 20_000 });
  constructor(endpoint: string) {
    this.dealer.connect(endpoint);
  }
  async call(request: Record<string, unknown>): Promise<string> {
    await this.dealer.send(JSON.stringify(request));
    const [frame] = await this.dealer.receive();
    return frame.toString('utf8');
  }
  close(): void {
    this.dealer.close();
  }
}

describe('commands over the wire: a built circusd answers raw DEALER requests with Circus JSON', function () {
  this.timeout(60_000);
  let box: Sandbox;
  let run: CircusdRun | null;
  let client: RawClient | null;

  beforeEach(() => {
    box = new Sandbox();
    run = null;
    client = null;
  });

  afterEach(async () => {
    client?.close();
    await box.cleanup();
  });

  async function boot(endpoint: string): Promise<RawClient> {
    const config = box.writeConfig(
      'c.ini',
      `[circus]\ncheck_delay = 0\nendpoint = ${endpoint}\npubsub_endpoint = ipc://{dir}/pub.sock\n\n[watcher:web]\ncmd = {node} {worker} {dir}\nnumprocesses = 2\ngraceful_timeout = 1\n`,
    );
    run = box.start([config]);
    client = new RawClient(endpoint);
    // The watchers are up once both workers wrote their pid (the DEALER queues until the endpoint binds).
    await waitFor('two workers', () => box.workerPids().length === 2 || undefined, 15_000);
    return client;
  }

  async function quit(c: RawClient): Promise<void> {
    assert.match(await c.call({ command: 'quit', properties: {}, id: 'q' }), new RegExp(`^\\{"status": "ok", "time": ${T}, "id": "q"\\}$`));
    const status = await (run as CircusdRun).exited;
    assert.equal(status.code, 0, (run as CircusdRun).stderr());
  }

  it('over ipc: list, status, options, globaloptions, numprocesses, stats, errors', async () => {
    const c = await boot(`ipc://${path.join(box.dir, 'ctl.sock')}`);
    assert.match(await c.call({ command: 'list', properties: {}, id: 'a' }), new RegExp(`^\\{"status": "ok", "time": ${T}, "watchers": \\["web"\\], "id": "a"\\}$`));
    assert.match(await c.call({ command: 'status', properties: { name: 'web' }, id: 'b' }), new RegExp(`^\\{"status": "active", "time": ${T}, "id": "b"\\}$`));
    const options = await c.call({ command: 'options', properties: { name: 'web' }, id: 'c' });
    assert.match(options, /"options": \{"__name__": "watcher:web", "args": "", /);
    assert.match(options, /"graceful_timeout": 1\.0, /);
    assert.match(options, /"numprocesses": 2, /);
    assert.match(options, /"warmup_delay": 0, /);
    const globals = await c.call({ command: 'globaloptions', id: 'd' });
    assert.match(globals, new RegExp(`"options": \\{"endpoint": "ipc://[^"]+", "stats_endpoint": "tcp://127.0.0.1:5557", "pubsub_endpoint": "ipc://[^"]+", "check_delay": 0\\.0, "multicast_endpoint": ""\\}, "id": "d"\\}$`));
    assert.match(await c.call({ command: 'numprocesses', properties: { name: 'web' }, id: 'e' }), new RegExp(`^\\{"status": "ok", "time": ${T}, "numprocesses": 2, "watcher_name": "web", "id": "e"\\}$`));
    const stats = JSON.parse(await c.call({ command: 'stats', properties: { name: 'web' }, id: 'f' })) as { info: Record<string, Record<string, unknown>> };
    assert.deepEqual(Object.keys(stats.info).map(Number).sort(), box.workerPids());
    const raw = await c.call({ command: 'stats', properties: { name: 'web' }, id: 'g' });
    assert.match(raw, /"cpu": \d+\.\d+/);
    assert.match(raw, /"started": \d+\.\d+/);
    assert.equal(
      await c.call({ command: 'list', properties: { name: 'nope' }, id: 'h' }).then((s) => s.replace(/"time": [^,]+/, '"time": T')),
      '{"status": "error", "reason": "program nope not found", "tb": null, "time": T, "errno": 3, "id": "h"}',
    );
    assert.equal(
      await c.call({ command: 'get', properties: { name: 'web' }, id: 'i' }).then((s) => s.replace(/"time": [^,]+/, '"time": T')),
      `{"status": "error", "reason": "message invalid 'keys' is missing", "tb": null, "time": T, "errno": 3, "id": "i"}`,
    );
    await quit(c);
  });

  it('over tcp: add + start waiting, incr waiting, set, rm, then quit', async () => {
    const port = await freePort();
    const c = await boot(`tcp://127.0.0.1:${port}`);
    const add = await c.call({
      command: 'add',
      properties: { name: 't2', cmd: `${process.execPath} ${WORKER} ${box.dir}`, start: true, waiting: true },
      id: 'a',
    });
    assert.match(add, new RegExp(`^\\{"status": "ok", "time": ${T}, "started": \\[\\d+\\], "kept": \\[\\], "id": "a"\\}$`));
    assert.match(await c.call({ command: 'incr', properties: { name: 'web', nb: 1, waiting: true }, id: 'b' }), new RegExp(`^\\{"status": "ok", "time": ${T}, "numprocesses": 3, "id": "b"\\}$`));
    assert.match(await c.call({ command: 'incr', properties: { name: 'web' }, id: 'b2' }), new RegExp(`^\\{"status": "ok", "time": ${T}, "id": "b2"\\}$`), 'not waiting: a bare ok');
    await waitFor('four web workers + t2', () => box.workerPids().length === 5 || undefined, 15_000);
    assert.match(await c.call({ command: 'set', properties: { name: 'web', options: { graceful_timeout: 2 }, waiting: true }, id: 'c' }), new RegExp(`^\\{"status": "ok", "time": ${T}, "id": "c"\\}$`));
    assert.match(await c.call({ command: 'get', properties: { name: 'web', keys: ['graceful_timeout'] }, id: 'd' }), /"options": \{"graceful_timeout": 2\.0\}/);
    assert.equal(
      await c.call({ command: 'set', properties: { name: 'web', options: { env: { A: 2 } } }, id: 'e' }).then((s) => s.replace(/"time": [^,]+/, '"time": T')),
      `{"status": "error", "reason": "'A' isn't a string", "tb": null, "time": T, "errno": 3, "id": "e"}`,
    );
    assert.match(await c.call({ command: 'rm', properties: { name: 't2', waiting: true }, id: 'f' }), new RegExp(`^\\{"status": "ok", "time": ${T}, "id": "f"\\}$`));
    assert.match(await c.call({ command: 'numwatchers', id: 'g' }), /"numwatchers": 1, "id": "g"\}$/);
    await waitFor('t2 gone', () => box.workerPids().length === 4 || undefined, 15_000);
    await quit(c);
  });
});
