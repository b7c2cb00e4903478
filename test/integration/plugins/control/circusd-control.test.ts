import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { Router } from 'zeromq';
import { Sandbox, waitFor, workerConfig } from '../../cli/circusd-harness';
import { call, Clients, freePort, ipcFileExists, portIsFree } from './control-helpers';

describe('circusd serves the control endpoint (cli/circusd/core-plugins.ts)', function () {
  let box: Sandbox;
  let clients: Clients;

  beforeEach(() => {
    box = new Sandbox();
    clients = new Clients();
  });

  afterEach(async () => {
    clients.closeAll();
    await box.cleanup();
  });

  it('answers a raw DEALER request on its ipc endpoint, and removes the socket file when it quits', async () => {
    const config = box.writeConfig('c.ini', workerConfig(1));
    const run = box.start([config]);
    const file = path.join(box.dir, 'ctl.sock');
    await waitFor('the control socket file', () => ipcFileExists(file), 15_000);
    const dealer = clients.connect(`ipc://${file}`, 'b'.repeat(32), 10_000);
    const reply = await call(dealer, { command: 'list', properties: {}, id: 'circusd' });
    assert.equal(reply.id, 'circusd');
    assert.deepEqual(reply.watchers, ['workers']);
    run.child.kill('SIGTERM');
    const status = await run.exited;
    assert.equal(status.code, 0, run.stderr());
    assert.equal(ipcFileExists(file), false);
  });

  it('exits 1 naming the endpoint when its port is already in use', async () => {
    const port = await freePort();
    const squatter = new Router({ linger: 0 });
    await squatter.bind(`tcp://127.0.0.1:${port}`);
    try {
      const config = box.writeConfig(
        'c.ini',
        `[circus]\nendpoint = tcp://127.0.0.1:${port}\npubsub_endpoint = ipc://{dir}/pub.sock\n\n[watcher:w]\ncmd = {node} {worker} {dir}\n`,
      );
      const r = await box.run([config]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`plugin 'control': .*could not bind tcp://127\\.0\\.0\\.1:${port}: Address already in use`));
      assert.deepEqual(box.workerPids(), [], 'no watcher was started');
    } finally {
      squatter.close();
    }
    await waitFor('the port to be released', () => portIsFree(port), 5000);
  });

  it('a waited quit is answered before the endpoint closes, then circusd exits 0 with no worker left', async () => {
    const config = box.writeConfig('c.ini', workerConfig(2));
    const run = box.start([config]);
    const file = path.join(box.dir, 'ctl.sock');
    await waitFor('two workers', () => box.workerPids().length === 2 || undefined, 15_000);
    const dealer = clients.connect(`ipc://${file}`, 'q'.repeat(32), 10_000);
    const reply = await call(dealer, { command: 'quit', properties: { waiting: true }, id: 'bye' });
    assert.equal(reply.status, 'ok');
    assert.equal(reply.id, 'bye');
    const status = await run.exited;
    assert.equal(status.code, 0, run.stderr());
  });
});
