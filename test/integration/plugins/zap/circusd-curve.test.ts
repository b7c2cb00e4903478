/**
 * CURVE on every endpoint of a real circusd (issue 9), over
 * tcp://127.0.0.1 only: the ZAP handler refuses a valid but unauthorized
 * key (no reply, no action, the decision audited with key and address),
 * an authorized client works, keyless and unauthorized subscribers of
 * pubsub and stats receive nothing while an authorized one does, the
 * audit file holds the exact commands and who sent them, and a bad key
 * file stops circusd at start naming the option and the file.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CurveKeyPair, writeKeyPair } from '../../../../protocol/curve';
import { freePort } from '../../../support/free-port';
import { type CircusdRun, Sandbox, waitFor } from '../../cli/circusd-harness';
import { auditRecord, auditRecords, RawClients, request } from './curve-helpers';

interface Keys {
  server: CurveKeyPair;
  alice: CurveKeyPair;
  mallory: CurveKeyPair;
}

/** Writes server, alice (authorized) and mallory (valid, not authorized) key pairs under etc/keys. */
function writeKeys(dir: string): Keys {
  const keys = path.join(dir, 'etc', 'keys');
  const out = {} as Keys;
  for (const name of ['server', 'alice', 'mallory'] as const) out[name] = writeKeyPair(keys, name).keys;
  return out;
}

/** The secured config, in etc/ (key paths relative to it, circusd run from the sandbox root). */
function curveConfig(box: Sandbox, ports: number[], circusExtra = ''): string {
  fs.mkdirSync(path.join(box.dir, 'etc'), { recursive: true });
  return box.writeConfig(
    'etc/circus.ini',
    `[circus]
check_delay = 1
endpoint = tcp://127.0.0.1:${ports[0]}
pubsub_endpoint = tcp://127.0.0.1:${ports[1]}
stats_endpoint = tcp://127.0.0.1:${ports[2]}
statsd = true
curve_secret_key = keys/server.key_secret
curve_authorized_keys = keys/alice.key
audit_log = audit.jsonl
${circusExtra}

[watcher:workers]
cmd = {node} {worker} {dir}
numprocesses = 1
graceful_timeout = 1
`,
  );
}

describe('circusd with CURVE on every endpoint (tcp://127.0.0.1)', function () {
  this.timeout(60_000);
  let box: Sandbox;
  let clients: RawClients;
  let keys: Keys;
  let ports: number[];
  let run: CircusdRun;
  let ctl: string;
  let audit: string;

  beforeEach(async () => {
    box = new Sandbox();
    clients = new RawClients();
    keys = writeKeys(box.dir);
    ports = [await freePort(), await freePort(), await freePort()];
    ctl = `tcp://127.0.0.1:${ports[0]}`;
    audit = path.join(box.dir, 'etc', 'audit.jsonl');
    run = box.start([curveConfig(box, ports)]);
    await waitFor('a worker', () => box.workerPids().length === 1, 20_000);
  });

  afterEach(async () => {
    await clients.closeAll();
    assert.ok(clients.allClosed, 'every test socket is closed');
    await box.cleanup();
  });

  it('an authorized client works; a valid but unauthorized key gets no reply and changes nothing; ZAP decisions are audited', async () => {
    const alice = clients.dealer(ctl, keys.server.publicKey, keys.alice);
    // `status` of a watcher answers its state in the status field (Circus's reply).
    const status = await request(alice.socket, 'status', { name: 'workers' });
    assert.equal(status?.status, 'active', `status: ${JSON.stringify(status)}`);
    const pidsBefore = box.workerPids();

    const mallory = clients.dealer(ctl, keys.server.publicKey, keys.mallory);
    assert.equal(await request(mallory.socket, 'incr', { name: 'workers', nb: 3 }), null, 'mallory gets no reply');
    assert.equal(await request(mallory.socket, 'stop', { name: 'workers', waiting: true }), null, 'nor to a stop');
    await waitFor('the refused handshake', () => mallory.seen.auth === 1, 10_000);

    const refused = await auditRecord(audit, 'the refusal of mallory', (r) => r.type === 'zap' && r.key === keys.mallory.publicKey);
    assert.deepEqual(
      { allowed: refused.allowed, address: refused.address, mechanism: refused.mechanism, domain: refused.domain, reason: refused.reason },
      { allowed: false, address: '127.0.0.1', mechanism: 'CURVE', domain: 'circus', reason: 'key not authorized' },
    );
    const allowed = auditRecords(audit).find((r) => r.type === 'zap' && r.key === keys.alice.publicKey);
    assert.equal(allowed?.allowed, true);
    assert.equal(allowed?.address, '127.0.0.1');

    // Nothing happened: same worker, one process, active, and no command of mallory's audited.
    const after = await request(alice.socket, 'numprocesses', { name: 'workers' });
    assert.equal(after?.numprocesses, 1);
    assert.equal((await request(alice.socket, 'status', { name: 'workers' }))?.status, 'active');
    assert.deepEqual(box.workerPids(), pidsBefore);
    assert.deepEqual(auditRecords(audit).filter((r) => r.type === 'command'), []);

    // Then a mutating command of alice's runs and is audited with her key.
    const incr = await request(alice.socket, 'incr', { name: 'workers', nb: 1 });
    assert.equal(incr?.status, 'ok', JSON.stringify(incr));
    await waitFor('a second worker', () => box.workerPids().length === 2, 20_000);
    const commands = auditRecords(audit).filter((r) => r.type === 'command');
    assert.equal(commands.length, 1);
    const { time, ...rest } = commands[0];
    assert.equal(typeof time, 'number');
    assert.deepEqual(rest, {
      type: 'command',
      command: 'incr',
      properties: { name: 'workers', nb: 1 },
      who: { key: keys.alice.publicKey, routing_id: Buffer.from(`curve:${keys.alice.publicKey}`).toString('hex'), transport: 'tcp' },
      status: 'ok',
    });
    assert.match(run.stdout() + run.stderr(), /audit.*command incr by curve:/);
  });

  it('a keyless client fails the handshake and gets no reply; a refused command is audited with its errno', async () => {
    const keyless = clients.dealer(ctl, null, null);
    assert.equal(await request(keyless.socket, 'quit', {}), null);
    assert.equal(keyless.seen.ok, 0);

    const alice = clients.dealer(ctl, keys.server.publicKey, keys.alice);
    const refused = await request(alice.socket, 'stop', { name: 'nope' });
    assert.equal(refused?.status, 'error');
    const record = await auditRecord(audit, 'the refused stop', (r) => r.type === 'command' && r.command === 'stop');
    assert.equal(record.status, 'error');
    assert.equal(record.errno, refused?.errno);
    assert.equal(record.reason, refused?.reason);
    assert.deepEqual(record.properties, { name: 'nope' });
    // Still running: the keyless quit never arrived.
    assert.equal((await request(alice.socket, 'status', { name: 'workers' }))?.status, 'active');
    assert.equal(run.child.exitCode, null);
  });

  it('pubsub and stats subscribers without a key or with an unauthorized key receive nothing while an authorized one does', async () => {
    const pub = `tcp://127.0.0.1:${ports[1]}`;
    const stats = `tcp://127.0.0.1:${ports[2]}`;
    const outsiders = [
      clients.subscriber(pub, null, null, 'watcher.'),
      clients.subscriber(pub, keys.server.publicKey, keys.mallory, 'watcher.'),
      clients.subscriber(stats, null, null, 'stat.'),
      clients.subscriber(stats, keys.server.publicKey, keys.mallory, 'stat.'),
    ];
    const events = clients.subscriber(pub, keys.server.publicKey, keys.alice, 'watcher.');
    const samples = clients.subscriber(stats, keys.server.publicKey, keys.alice, 'stat.');
    // Every outsider's handshake has ended (refused), and the insiders are in, before anything is published.
    await waitFor('the handshakes', () => outsiders.every((o) => o.seen.auth + o.seen.failed > 0) && events.seen.ok > 0 && samples.seen.ok > 0, 15_000);
    assert.deepEqual(outsiders.map((o) => [o.seen.auth, o.seen.failed]), [[0, 1], [1, 0], [0, 1], [1, 0]]);

    const alice = clients.dealer(ctl, keys.server.publicKey, keys.alice);
    assert.equal((await request(alice.socket, 'incr', { name: 'workers' }))?.status, 'ok');
    await waitFor('the spawn event', () => events.topics.includes('watcher.workers.spawn'), 15_000);
    await waitFor('two stats samples of workers', () => samples.topics.filter((t) => t === 'stat.workers').length >= 2, 15_000);
    assert.deepEqual(outsiders.map((o) => o.topics.length), [0, 0, 0, 0]);
  });

  it('globaloptions over CURVE carries no warnings field (loopback endpoints)', async () => {
    const alice = clients.dealer(ctl, keys.server.publicKey, keys.alice);
    const reply = await request(alice.socket, 'globaloptions');
    assert.equal(reply?.status, 'ok');
    assert.ok(!('warnings' in (reply as object)), JSON.stringify(reply));
    assert.doesNotMatch(run.stdout() + run.stderr(), /SECURITY WARNING/);
  });
});

describe('circusd with a bad CURVE key file', function () {
  this.timeout(30_000);
  let box: Sandbox;

  beforeEach(() => {
    box = new Sandbox();
  });
  afterEach(async () => {
    await box.cleanup();
  });

  const cases: [string, string, string, RegExp][] = [
    ['a missing secret key file', 'curve_secret_key = keys/missing.key_secret', 'curve_authorized_keys = keys/alice.key', /curve_secret_key.*keys\/missing\.key_secret/],
    ['a public key file as the secret one', 'curve_secret_key = keys/alice.key', 'curve_authorized_keys = keys/alice.key', /curve_secret_key.*alice\.key has no secret-key/],
    ['a missing authorized key file', 'curve_secret_key = keys/server.key_secret', 'curve_authorized_keys = keys/nobody.key', /curve_authorized_keys.*keys\/nobody\.key/],
  ];
  for (const [what, secret, authorized, expected] of cases) {
    it(`${what}: exit 1, the message names the [circus] key and the file`, async () => {
      writeKeys(box.dir);
      const ports = [await freePort(), await freePort(), await freePort()];
      fs.mkdirSync(path.join(box.dir, 'etc'), { recursive: true });
      const config = box.writeConfig(
        'etc/circus.ini',
        `[circus]\nendpoint = tcp://127.0.0.1:${ports[0]}\npubsub_endpoint = tcp://127.0.0.1:${ports[1]}\n${secret}\n${authorized}\n\n[watcher:workers]\ncmd = {node} {worker} {dir}\n`,
      );
      const result = await box.run([config]);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stderr, expected);
      assert.match(result.stderr, /^circusd: /m);
      assert.deepEqual(box.workerPids(), [], 'no watcher started');
    });
  }
});
