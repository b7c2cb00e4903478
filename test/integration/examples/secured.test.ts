/**
 * examples/secured/ as its README says to use it (issue 9): a copy of the
 * folder with free loopback ports, the keys made by the README's own
 * commands with the built `circusctl keygen`, circusd started on it, driven
 * by circusctl with the keys (status, stop, start, quit); a keyless circusctl
 * and one with a valid but unauthorized key get no answer (Timed out., exit
 * 1); the audit log holds the commands with the admin's key.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CircusClient } from '../../../protocol/client';
import { readKeyPair, readPublicKey } from '../../../protocol/curve';
import { freePort } from '../../support/free-port';
import { ROOT, Sandbox } from '../cli/circusd-harness';
import { CIRCUSCTL, CtlRunner } from '../cli/circusctl-runner';
import { auditRecord, auditRecords } from '../plugins/zap/curve-helpers';

const EXAMPLE = path.join(ROOT, 'examples', 'secured');

/** The shell lines of the README's "Make the keys" block, circusctl pointed at the build. */
function keygenSteps(): string[] {
  const readme = fs.readFileSync(path.join(EXAMPLE, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Make the keys'));
  assert.ok(section, 'README.md has a "Make the keys" section');
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'the section has a sh block');
  return block[1]
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.replace(/^node build\/cli\/circusctl\.js /, `"${process.execPath}" "${CIRCUSCTL}" `));
}

describe('examples/secured (integration)', function () {
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

  it('keeps keys and the audit log out of git', () => {
    const ignored = fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n');
    assert.ok(ignored.includes('examples/secured/keys/'));
    assert.ok(ignored.includes('examples/secured/audit.log'));
  });

  it('starts with the keys of its README, obeys an authorized circusctl, answers neither a keyless nor an unauthorized one', async () => {
    // The example, copied as it is (without any keys or audit log of a local run), on free ports.
    const copy = path.join(sb.dir, 'examples', 'secured');
    fs.cpSync(EXAMPLE, copy, { recursive: true, filter: (src) => !/[/\\](keys|audit\.log)$/.test(src) });
    const [control, pubsub, stats] = [await freePort(), await freePort(), await freePort()];
    const original = fs.readFileSync(path.join(copy, 'circus.ini'), 'utf8');
    const ini = original
      .replace('tcp://127.0.0.1:5555', `tcp://127.0.0.1:${control}`)
      .replace('tcp://127.0.0.1:5556', `tcp://127.0.0.1:${pubsub}`)
      .replace('tcp://127.0.0.1:5557', `tcp://127.0.0.1:${stats}`)
      .replace('cmd = node examples/workers/ticker.js', `cmd = ${process.execPath} ${ROOT}/examples/workers/ticker.js`);
    assert.ok(ini.includes(`:${control}`) && ini.includes(`:${pubsub}`) && ini.includes(`:${stats}`) && ini.includes(ROOT), 'the example has the lines this test rewrites');
    fs.writeFileSync(path.join(copy, 'circus.ini'), ini);

    // The README's commands, run where it says (the repository root: here the sandbox).
    const steps = keygenSteps();
    assert.equal(steps.filter((l) => l.includes(' keygen ')).length, 2);
    const made = spawnSync('bash', ['-ec', steps.join('\n')], { cwd: sb.dir, encoding: 'utf8', timeout: 30_000 });
    assert.equal(made.status, 0, made.stderr);
    const keys = path.join(copy, 'keys');
    const serverPublic = path.join(keys, 'server.key');
    const adminSecret = path.join(keys, 'admin', 'admin.key_secret');
    const admin = readKeyPair(adminSecret);
    assert.equal(fs.statSync(path.join(keys, 'server.key_secret')).mode & 0o777, 0o600);
    assert.equal(fs.statSync(adminSecret).mode & 0o777, 0o600);
    assert.equal(readPublicKey(path.join(keys, 'clients', 'admin.key')), admin.publicKey);

    const daemon = sb.start(['examples/secured/circus.ini']);
    const endpoint = `tcp://127.0.0.1:${control}`;
    const server = readPublicKey(serverPublic);
    const probe = new CircusClient({ endpoint, timeout: 1, curve: { serverKey: server, keys: admin } });
    try {
      let answered = false;
      for (let i = 0; i < 40 && !answered; i += 1) answered = (await probe.call('status').catch(() => undefined))?.status === 'ok';
      assert.ok(answered, `circusd answered the admin\n${daemon.stderr()}`);
    } finally {
      probe.close();
    }

    const keyed = ['--endpoint', endpoint, '--client-key', adminSecret, '--server-key', serverPublic];
    const env = { CIRCUS_CLIENT_KEY: adminSecret, CIRCUS_SERVER_KEY: serverPublic };
    assert.match((await ctl.run(['--endpoint', endpoint, 'status'], { env })).stdout, /^ticker: active$/m);
    assert.deepEqual(await ctl.run([...keyed, 'stop', 'ticker']), { code: 0, stdout: 'ok\n', stderr: '' });
    assert.equal((await ctl.run([...keyed, 'status', 'ticker'])).stdout, 'stopped\n');
    assert.deepEqual(await ctl.run([...keyed, 'start', 'ticker']), { code: 0, stdout: 'ok\n', stderr: '' });
    assert.equal((await ctl.run([...keyed, 'status', 'ticker'])).stdout, 'active\n');

    const keyless = await ctl.run(['--endpoint', endpoint, '--timeout', '2', 'stop', 'ticker']);
    assert.equal(keyless.code, 1);
    assert.equal(keyless.stdout, '');
    assert.match(keyless.stderr, /^Timed out\.\nA time out usually happens in one of those cases:/);

    const intruder = await ctl.run(['keygen', '--dir', path.join(sb.dir, 'elsewhere'), 'intruder']);
    assert.equal(intruder.code, 0, intruder.stderr);
    const intruderSecret = path.join(sb.dir, 'elsewhere', 'intruder.key_secret');
    const refused = await ctl.run(['--endpoint', endpoint, '--timeout', '2', '--client-key', intruderSecret, '--server-key', serverPublic, 'stop', 'ticker']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^Timed out\./);
    assert.equal((await ctl.run([...keyed, 'status', 'ticker'])).stdout, 'active\n');

    const auditLog = path.join(copy, 'audit.log');
    const intruderKey = readPublicKey(path.join(sb.dir, 'elsewhere', 'intruder.key'));
    const zap = await auditRecord(auditLog, "the intruder's refusal", (r) => r.type === 'zap' && r.key === intruderKey);
    assert.equal(zap.allowed, false);
    const commands = auditRecords(auditLog).filter((r) => r.type === 'command');
    assert.deepEqual(
      commands.map((r) => [r.command, (r.properties as { name?: string }).name, (r.who as { key?: string }).key, r.status]),
      [
        ['stop', 'ticker', admin.publicKey, 'ok'],
        ['start', 'ticker', admin.publicKey, 'ok'],
      ],
    );
    assert.equal(fs.statSync(auditLog).mode & 0o777, 0o600);

    assert.equal((await ctl.run([...keyed, 'quit'])).stdout, 'ok\n');
    assert.equal((await daemon.exited).code, 0);
  });
});
