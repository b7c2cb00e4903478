/**
 * The audit of a real circusd without CURVE (ipc endpoints in the
 * sandbox): every state-changing command lands in the JSON-lines file
 * with its exact properties and who sent it -- the transport and routing
 * id in hex, never a key (a `curve:` routing id proves nothing without
 * CURVE) -- read-only commands do not, the file is 0600, and the lines go
 * to circusd's log under the logger `circus.audit`. The globaloptions reply of a
 * local circusd carries no `warnings`.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { curveKeyPair } from 'zeromq';
import { type CircusdRun, Sandbox, waitFor, workerConfig } from '../../cli/circusd-harness';
import { auditRecord, auditRecords, RawClients, request } from '../zap/curve-helpers';

describe('circusd audit log (CURVE off, ipc endpoints)', function () {
  this.timeout(60_000);
  let box: Sandbox;
  let clients: RawClients;
  let run: CircusdRun;
  let audit: string;
  let ctl: string;

  beforeEach(async () => {
    box = new Sandbox();
    clients = new RawClients();
    audit = path.join(box.dir, 'audit.jsonl');
    ctl = `ipc://${box.dir}/ctl.sock`;
    // An existing, world-readable file: circusd narrows it to 0600 and appends.
    fs.writeFileSync(audit, '', { mode: 0o644 });
    fs.chmodSync(audit, 0o644);
    run = box.start([box.writeConfig('circus.ini', workerConfig(1, 'audit_log = audit.jsonl'))]);
    await waitFor('a worker', () => box.workerPids().length === 1, 20_000);
  });

  afterEach(async () => {
    await clients.closeAll();
    assert.ok(clients.allClosed, 'every test socket is closed');
    await box.cleanup();
  });

  it('records the exact commands with transport and routing id; read-only commands are not recorded', async () => {
    const plain = clients.dealer(ctl, null, null, 'ops-1');
    assert.equal((await request(plain.socket, 'status'))?.status, 'ok');
    assert.equal((await request(plain.socket, 'incr', { name: 'workers', nb: 1, waiting: true }))?.status, 'ok');
    // A routing id claiming a key binds nothing without CURVE.
    const claimed = `curve:${curveKeyPair().publicKey}`;
    const claimer = clients.dealer(ctl, null, null, claimed);
    const decr = await request(claimer.socket, 'decr', { name: 'workers', waiting: true });
    assert.equal(decr?.status, 'ok', JSON.stringify(decr));
    // A cast: no reply, recorded as such.
    await plain.socket.send(JSON.stringify({ id: 'c1', command: 'set', msg_type: 'cast', properties: { name: 'workers', options: { graceful_timeout: 2 } } }));
    const cast = await auditRecord(audit, 'the cast set', (r) => r.command === 'set');

    const commands = auditRecords(audit).map(({ time, ...rest }) => {
      assert.equal(typeof time, 'number');
      return rest;
    });
    assert.deepEqual(commands, [
      {
        type: 'command',
        command: 'incr',
        properties: { name: 'workers', nb: 1, waiting: true },
        who: { routing_id: Buffer.from('ops-1').toString('hex'), transport: 'ipc' },
        status: 'ok',
      },
      {
        type: 'command',
        command: 'decr',
        properties: { name: 'workers', waiting: true },
        who: { routing_id: Buffer.from(claimed).toString('hex'), transport: 'ipc' },
        status: 'ok',
      },
      {
        type: 'command',
        command: 'set',
        properties: { name: 'workers', options: { graceful_timeout: 2 } },
        who: { routing_id: Buffer.from('ops-1').toString('hex'), transport: 'ipc' },
        status: 'cast',
      },
    ]);
    assert.equal(cast.status, 'cast');
    assert.equal(fs.statSync(audit).mode & 0o777, 0o600);
    const line = /circus\.audit\[\d+\] \[INFO\] command incr by ipc routing id 6f70732d31: ok properties \{"name":"workers","nb":1,"waiting":true\}/;
    await waitFor('the audit line in the log', () => line.test(run.stderr()), 10_000).catch((err: Error) => {
      throw new Error(`${err.message}; log: ${run.stderr()}`);
    });
  });

  it('globaloptions of a local circusd has no warnings field, and nothing is warned at start', async () => {
    const plain = clients.dealer(ctl, null, null);
    const reply = await request(plain.socket, 'globaloptions');
    assert.equal(reply?.status, 'ok');
    assert.deepEqual(Object.keys(reply as object).sort(), ['id', 'options', 'status', 'time']);
    assert.doesNotMatch(run.stdout() + run.stderr(), /SECURITY WARNING/);
  });
});
