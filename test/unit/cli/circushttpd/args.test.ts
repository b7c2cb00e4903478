import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import { PASSWORD_HASH_PATTERN } from '../../../../kernel';
import { daemonId, parseCircushttpdArgs, type HttpdArgsOutcome } from '../../../../cli/circushttpd/args';
import { readFirstLine, runHashPassword } from '../../../../cli/circushttpd/hash-password';
import { PasswordVerifier } from '../../../../plugins/httpd/password';

const HASH = `scrypt$1024$8$1$${Buffer.alloc(16, 1).toString('base64')}$${Buffer.alloc(32, 2).toString('base64')}`;

function parse(argv: string[], env: NodeJS.ProcessEnv = {}): { outcome: HttpdArgsOutcome; out: string; err: string } {
  let out = '';
  let err = '';
  const outcome = parseCircushttpdArgs(argv, '9.9.9', { out: (s) => (out += s), err: (s) => (err += s) }, env);
  return { outcome, out, err };
}

describe('cli/circushttpd: command line', () => {
  it('defaults to 127.0.0.1:8080 and one daemon at tcp://127.0.0.1:5555, no login', () => {
    const { outcome } = parse([]);
    assert.equal(outcome.kind, 'serve');
    if (outcome.kind !== 'serve') return;
    assert.equal(outcome.args.host, '127.0.0.1');
    assert.equal(outcome.args.port, 8080);
    assert.deepEqual(outcome.args.daemons, [{ id: 'd1', label: 'tcp://127.0.0.1:5555', endpoint: 'tcp://127.0.0.1:5555' }]);
    assert.equal(outcome.args.passwordHash, null);
    assert.equal(outcome.args.timeout, 5);
  });

  it('takes a fleet of endpoints with labels of the same rank; ids come from labels, unique', () => {
    const { outcome } = parse(['--endpoint', 'tcp://10.0.0.1:5555', '--endpoint', 'ipc:///run/b.sock', '--endpoint', 'tcp://c:1', '--label', 'Web Farm', '--label', 'web farm']);
    assert.equal(outcome.kind, 'serve');
    if (outcome.kind !== 'serve') return;
    assert.deepEqual(outcome.args.daemons, [
      { id: 'web-farm', label: 'Web Farm', endpoint: 'tcp://10.0.0.1:5555' },
      { id: 'web-farm-2', label: 'web farm', endpoint: 'ipc:///run/b.sock' },
      { id: 'd3', label: 'tcp://c:1', endpoint: 'tcp://c:1' },
    ]);
    assert.equal(daemonId('***', 4, new Set()), 'd5');
  });

  it('reads the hash from --password-hash or CIRCUSHTTPD_PASSWORD_HASH, and the other options', () => {
    const env = parse(['--allowed-host', 'panel.example.com', '--allowed-host', 'p2', '--secure-cookie', '--timeout', '2.5', '--port', '0'], { CIRCUSHTTPD_PASSWORD_HASH: HASH }).outcome;
    assert.equal(env.kind, 'serve');
    if (env.kind !== 'serve') return;
    assert.equal(env.args.passwordHash, HASH);
    assert.deepEqual(env.args.allowedHosts, ['panel.example.com', 'p2']);
    assert.equal(env.args.secureCookie, true);
    assert.equal(env.args.timeout, 2.5);
    assert.equal(env.args.port, 0);
    const flag = parse(['--password-hash', HASH], { CIRCUSHTTPD_PASSWORD_HASH: 'ignored' }).outcome;
    assert.equal(flag.kind === 'serve' && flag.args.passwordHash, HASH);
  });

  it('exits 2 naming --host when asked to listen beyond loopback without a hash (nothing is bound)', () => {
    for (const host of ['0.0.0.0', '192.168.1.10', '::', 'panel.example.com']) {
      const { outcome, err } = parse(['--host', host]);
      assert.deepEqual(outcome, { kind: 'exit', code: 2 }, host);
      assert.match(err, new RegExp(`--host ${host.replace(/\./g, '\\.')} is beyond loopback`));
    }
    const withHash = parse(['--host', '0.0.0.0', '--password-hash', HASH]).outcome;
    assert.equal(withHash.kind, 'serve');
    assert.equal(parse(['--host', 'localhost']).outcome.kind, 'serve');
  });

  it('exits 2 on usage errors: a malformed hash, a bad port, more labels than endpoints, stray arguments', () => {
    for (const argv of [['--password-hash', 'hunter2'], ['--port', 'http'], ['--port', '70000'], ['--label', 'a', '--label', 'b'], ['stray'], ['--timeout', '0'], ['--log-level', 'loud']]) {
      const { outcome, err } = parse(argv);
      assert.deepEqual(outcome, { kind: 'exit', code: 2 }, argv.join(' '));
      assert.match(err, /^usage: circushttpd/, argv.join(' '));
    }
  });

  it('prints the version and the help with status 0, and selects hash-password', () => {
    assert.deepEqual(parse(['--version']).outcome, { kind: 'exit', code: 0 });
    assert.equal(parse(['--version']).out, '9.9.9\n');
    const help = parse(['--help']);
    assert.deepEqual(help.outcome, { kind: 'exit', code: 0 });
    assert.match(help.out, /hash-password/);
    assert.deepEqual(parse(['hash-password']).outcome, { kind: 'hash-password' });
  });
});

describe('cli/circushttpd hash-password', () => {
  it('reads the first line of a piped stdin', async () => {
    const stdin = new PassThrough();
    const line = readFirstLine(stdin);
    stdin.write('pass');
    stdin.write('word\r\nsecond line\n');
    assert.equal(await line, 'password');
    const eof = new PassThrough();
    const whole = readFirstLine(eof);
    eof.end('no newline');
    assert.equal(await whole, 'no newline');
  });

  it('prints one hash line that verifies the password, and refuses an empty password', async () => {
    const stdin = new PassThrough();
    let out = '';
    let err = '';
    const run = runHashPassword({ out: (s) => (out += s), err: (s) => (err += s), stdin });
    stdin.end('s3cret token\n');
    assert.equal(await run, 0);
    assert.match(out, /^scrypt\$[^\n]+\n$/);
    assert.match(out.trim(), PASSWORD_HASH_PATTERN);
    assert.equal(await new PasswordVerifier(out.trim()).verify('s3cret token'), true);
    assert.equal(err, '');
    const empty = new PassThrough();
    const refused = runHashPassword({ out: () => undefined, err: (s) => (err += s), stdin: empty });
    empty.end('\n');
    assert.equal(await refused, 1);
    assert.match(err, /the password is empty/);
  });
});
