/**
 * circusctl with CURVE keys against the built circusd with curve_secret_key
 * (issue 9): commands, the shell and listen work with an authorized key
 * over tcp; a keyless and an unauthorized circusctl get no answer and change
 * nothing; key options are checked before anything is sent; keygen.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readKeyPair, readPublicKey } from '../../../protocol/curve';
import { auditRecord } from '../plugins/zap/curve-helpers';
import { Sandbox, waitFor } from './circusd-harness';
import { CtlRunner } from './circusctl-runner';
import { type CurveDaemon, startCurveDaemon } from './curve-support';

describe('circusctl with CURVE keys (integration, against circusd)', function () {
  this.timeout(90_000);
  let sb: Sandbox;
  const ctl = new CtlRunner(30_000);

  beforeEach(() => {
    sb = new Sandbox();
  });

  afterEach(async () => {
    await ctl.killAll();
    await sb.cleanup();
  });

  const withKeys = (d: CurveDaemon, ...args: string[]): string[] => ['--endpoint', d.endpoint, ...d.args(d.alice), ...args];

  it('an authorized circusctl drives circusd over tcp (status, stop, start); the audit names its key', async () => {
    const d = await startCurveDaemon(sb);
    assert.deepEqual(await ctl.run(withKeys(d, 'status', 'workers')), { code: 0, stdout: 'active\n', stderr: '' });
    assert.equal((await ctl.run(withKeys(d, 'stop', 'workers'))).stdout, 'ok\n');
    assert.equal((await ctl.run(withKeys(d, 'status', 'workers'))).stdout, 'stopped\n');
    assert.equal((await ctl.run(withKeys(d, 'start', 'workers'))).stdout, 'ok\n');
    assert.equal((await ctl.run(withKeys(d, 'status', 'workers'))).stdout, 'active\n');
    const stop = await auditRecord(d.auditLog, 'the audit of stop', (r) => r.command === 'stop');
    assert.equal((stop.who as Record<string, unknown>).key, d.alice.keys.publicKey);
    assert.deepEqual((stop.properties as Record<string, unknown>).name, 'workers');
  });

  it('takes the keys from CIRCUS_CLIENT_KEY / CIRCUS_SERVER_KEY, and --server-key as Z85 text', async () => {
    const d = await startCurveDaemon(sb);
    const env = { CIRCUS_CLIENT_KEY: d.alice.secretFile, CIRCUS_SERVER_KEY: d.server.publicFile };
    assert.equal((await ctl.run(['--endpoint', d.endpoint, 'status', 'workers'], { env })).stdout, 'active\n');
    const z85 = ['--endpoint', d.endpoint, '--client-key', d.alice.secretFile, '--server-key', d.server.keys.publicKey, 'numprocesses', 'workers'];
    assert.equal((await ctl.run(z85)).stdout, '1\n');
  });

  it('a keyless and an unauthorized circusctl get no answer (Timed out., exit 1) and change nothing', async () => {
    const d = await startCurveDaemon(sb);
    const pids = sb.workerPids();
    const keyless = await ctl.run(['--endpoint', d.endpoint, '--timeout', '1', 'stop', 'workers']);
    assert.equal(keyless.code, 1);
    assert.equal(keyless.stdout, '');
    assert.match(keyless.stderr, /^Timed out\.\nA time out usually happens/);
    const mallory = await ctl.run(['--endpoint', d.endpoint, '--timeout', '1', ...d.args(d.mallory), 'stop', 'workers']);
    assert.equal(mallory.code, 1);
    assert.match(mallory.stderr, /^Timed out\./);
    const refused = await auditRecord(d.auditLog, "mallory's ZAP refusal", (r) => r.type === 'zap' && r.key === d.mallory.keys.publicKey);
    assert.equal(refused.allowed, false);
    assert.equal((await ctl.run(withKeys(d, 'status', 'workers'))).stdout, 'active\n');
    assert.deepEqual(sb.workerPids(), pids);
  });

  it('the shell runs every line with the keys given at start', async () => {
    const d = await startCurveDaemon(sb);
    const r = await ctl.run(withKeys(d), { input: 'numprocesses workers\nstop workers --waiting\nstatus workers\n' });
    assert.equal(r.code, 0, r.stderr);
    // The opening status (every watcher), then one answer per line.
    assert.match(r.stdout, /^circusctl 0\.19\.0\n(.+\n)*workers: active\n\(circusctl\) 1\n\(circusctl\) ok\n\(circusctl\) stopped\n\(circusctl\) \n$/);
  });

  it('listen with keys receives the events; a keyless listen receives nothing in the same window', async () => {
    const d = await startCurveDaemon(sb);
    const keyed = ctl.start(['--endpoint', d.pubsub, ...d.args(d.alice), 'listen', 'watcher.workers.']);
    const keyless = ctl.start(['--endpoint', d.pubsub, 'listen', 'watcher.workers.']);
    // SUB sockets join late: restart until the keyed listener has seen an event (bounded).
    for (let i = 0; i < 20 && !keyed.stdout().includes("b'watcher.workers."); i += 1) {
      assert.equal((await ctl.run(withKeys(d, 'restart', 'workers', '--waiting'))).code, 0);
      await waitFor('an event or a pause', () => keyed.stdout().includes("b'watcher.workers.") || undefined, 500).catch(() => undefined);
    }
    assert.match(keyed.stdout(), /^b'watcher\.workers\.\w+': b'\{/m);
    assert.equal(keyless.stdout(), '');
    keyed.child.kill('SIGINT');
    keyless.child.kill('SIGINT');
    assert.equal((await keyed.done).code, 1);
  });

  it('refuses one key option alone and an unusable key file before sending anything (exit 1, naming them)', async () => {
    const dir = sb.dir;
    const alone = await ctl.run(['--endpoint', 'tcp://127.0.0.1:1', '--client-key', path.join(dir, 'a.key_secret'), 'status']);
    assert.deepEqual([alone.code, alone.stdout], [1, '']);
    assert.match(alone.stderr, /^circusctl: --client-key was given without --server-key \(\$CIRCUS_SERVER_KEY\)/);
    const envAlone = await ctl.run(['--endpoint', 'tcp://127.0.0.1:1', 'status'], { env: { CIRCUS_SERVER_KEY: 'x.key' } });
    assert.match(envAlone.stderr, /^circusctl: \$CIRCUS_SERVER_KEY was given without --client-key/);
    const missing = path.join(dir, 'nope.key_secret');
    const r = await ctl.run(['--endpoint', 'tcp://127.0.0.1:1', '--client-key', missing, '--server-key', missing, 'listen']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `circusctl: --client-key ${missing}: cannot read key file ${missing}: no such file or directory\n`);
  });

  it('keygen writes NAME.key (0644) and NAME.key_secret (0600) and never overwrites', async () => {
    const dir = path.join(sb.dir, 'new', 'keys');
    const r = await ctl.run(['keygen', '--dir', dir, 'alice']);
    assert.equal(r.code, 0, r.stderr);
    const pair = readKeyPair(path.join(dir, 'alice.key_secret'));
    assert.equal(readPublicKey(path.join(dir, 'alice.key')), pair.publicKey);
    assert.equal(r.stdout, `wrote ${dir}/alice.key_secret (secret key, mode 0600: keep it private)\nwrote ${dir}/alice.key (public key, mode 0644)\npublic key: ${pair.publicKey}\n`);
    assert.equal(fs.statSync(path.join(dir, 'alice.key_secret')).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.join(dir, 'alice.key')).mode & 0o777, 0o644);
    const again = await ctl.run(['keygen', '--dir', dir, 'alice']);
    assert.deepEqual(again, { code: 1, stdout: '', stderr: `circusctl: key file ${dir}/alice.key already exists; refusing to overwrite it\n` });
    assert.equal(readKeyPair(path.join(dir, 'alice.key_secret')).secretKey, pair.secretKey);
    const json = await ctl.run(['--json', 'keygen', '--dir', dir, 'bob']);
    assert.equal(JSON.parse(json.stdout).public_key, readPublicKey(path.join(dir, 'bob.key')));
  });
});
