/**
 * protocol/curve.ts: pyzmq-format key files, both ways (a real pyzmq writes
 * and reads them when python3-zmq is installed), file modes, refusals and
 * the errors that name the file at fault.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { curveKeyPair } from 'zeromq';
import {
  CurveKeyError,
  certificateText,
  isZ85Key,
  publicKeyOf,
  readAuthorizedKeys,
  readKeyPair,
  readPublicKey,
  writeKeyPair,
} from '../../../protocol/curve';

/** The first python3 that imports zmq (pyenv shims may hide Debian's python3-zmq), or undefined. */
function pythonWithZmq(): string | undefined {
  for (const exe of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(exe, ['-c', 'import zmq.auth'], { encoding: 'utf8', timeout: 20000 });
    if (r.status === 0) return exe;
  }
  return undefined;
}

function mode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

function throwsKeyError(fn: () => unknown, file: string, what: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof CurveKeyError, `not a CurveKeyError: ${String(error)}`);
    assert.equal(error.code, 'E_CURVE_KEY');
    assert.ok(error.message.includes(file), `message does not name ${file}: ${error.message}`);
    assert.match(error.message, what);
    return true;
  });
}

describe('protocol/curve key files', () => {
  let tmp: string;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'circus-curve-'));
  });
  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('isZ85Key: 40 Z85 characters that decode to 32 bytes', () => {
    const { publicKey, secretKey } = curveKeyPair();
    assert.ok(isZ85Key(publicKey));
    assert.ok(isZ85Key(secretKey));
    assert.ok(!isZ85Key(publicKey.slice(1)));
    assert.ok(!isZ85Key(publicKey + 'a'));
    assert.ok(!isZ85Key('"'.repeat(40)));
    assert.ok(!isZ85Key('keys/clients/alice.key'));
    // '#####' is 84*(85^4+...+1) > 2^32: valid characters, invalid Z85.
    assert.ok(!isZ85Key('#'.repeat(40)));
  });

  it('publicKeyOf derives the public key zeromq made for a secret key', () => {
    for (let i = 0; i < 5; i += 1) {
      const pair = curveKeyPair();
      assert.equal(publicKeyOf(pair.secretKey), pair.publicKey);
    }
  });

  it('writes NAME.key (0644) and NAME.key_secret (0600) in pyzmq layout and reads them back', () => {
    const { publicFile, secretFile, keys } = writeKeyPair(tmp, 'server');
    assert.equal(publicFile, path.join(tmp, 'server.key'));
    assert.equal(secretFile, path.join(tmp, 'server.key_secret'));
    assert.equal(mode(publicFile), 0o644);
    assert.equal(mode(secretFile), 0o600);
    assert.deepEqual(readKeyPair(secretFile), keys);
    assert.equal(readPublicKey(publicFile), keys.publicKey);
    assert.equal(readPublicKey(secretFile), keys.publicKey);
    const secretText = fs.readFileSync(secretFile, 'utf8').split('\n');
    assert.match(secretText[0], /^# {3}\*{4} {2}Generated on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d by circus-ts {2}\*{4}$/);
    assert.equal(secretText[1], '#   ZeroMQ CURVE **Secret** Certificate');
    assert.deepEqual(secretText.slice(3), ['', 'metadata', 'curve', `    public-key = "${keys.publicKey}"`, `    secret-key = "${keys.secretKey}"`, '']);
    const publicText = fs.readFileSync(publicFile, 'utf8');
    assert.match(publicText, /ZeroMQ CURVE Public Certificate/);
    assert.ok(!publicText.includes('secret-key'));
    assert.ok(!publicText.includes(keys.secretKey));
  });

  it('sets the modes whatever the umask', () => {
    for (const mask of [0, 0o077]) {
      const old = process.umask(mask);
      try {
        const { publicFile, secretFile } = writeKeyPair(tmp, `m${mask}`);
        assert.equal(mode(publicFile), 0o644);
        assert.equal(mode(secretFile), 0o600);
      } finally {
        process.umask(old);
      }
    }
  });

  it('creates a missing directory 0700', () => {
    const dir = path.join(tmp, 'a', 'keys');
    writeKeyPair(dir, 'alice');
    assert.equal(mode(dir), 0o700);
    assert.ok(fs.existsSync(path.join(dir, 'alice.key_secret')));
  });

  it('refuses to overwrite either file, and writes nothing then', () => {
    const first = writeKeyPair(tmp, 'web');
    const before = fs.readFileSync(first.secretFile, 'utf8');
    throwsKeyError(() => writeKeyPair(tmp, 'web'), first.publicFile, /already exists; refusing to overwrite/);
    assert.equal(fs.readFileSync(first.secretFile, 'utf8'), before);
    // Only the secret half exists: still refused, and no public file appears.
    fs.writeFileSync(path.join(tmp, 'half.key_secret'), 'x');
    throwsKeyError(() => writeKeyPair(tmp, 'half'), path.join(tmp, 'half.key_secret'), /refusing to overwrite/);
    assert.ok(!fs.existsSync(path.join(tmp, 'half.key')));
  });

  it('refuses a name that is not a plain file name', () => {
    for (const name of ['', '..', 'a/b', '../x']) {
      assert.throws(() => writeKeyPair(tmp, name), (e: unknown) => e instanceof CurveKeyError && /invalid key name/.test(e.message));
    }
  });

  it('bad files: CurveKeyError naming the file and what is wrong', () => {
    const missing = path.join(tmp, 'nope.key_secret');
    throwsKeyError(() => readKeyPair(missing), missing, /no such file/);
    throwsKeyError(() => readPublicKey(missing), missing, /no such file/);

    const { publicFile, keys } = writeKeyPair(tmp, 'pub');
    throwsKeyError(() => readKeyPair(publicFile), publicFile, /no secret-key/);

    const garbage = path.join(tmp, 'garbage.key');
    fs.writeFileSync(garbage, 'hello\nworld\n');
    throwsKeyError(() => readPublicKey(garbage), garbage, /no public-key/);

    const shortKey = path.join(tmp, 'short.key');
    fs.writeFileSync(shortKey, 'curve\n    public-key = "abc"\n');
    throwsKeyError(() => readPublicKey(shortKey), shortKey, /public-key is not a 40-character Z85 key/);

    const mismatched = path.join(tmp, 'mismatch.key_secret');
    const other = curveKeyPair();
    fs.writeFileSync(mismatched, certificateText({ publicKey: keys.publicKey, secretKey: other.secretKey }, 'secret'));
    throwsKeyError(() => readKeyPair(mismatched), mismatched, /public-key does not belong to secret-key/);

    throwsKeyError(() => readKeyPair(tmp), tmp, /not a regular file/);

    const big = path.join(tmp, 'big.key');
    fs.writeFileSync(big, Buffer.alloc(70000, 0x41));
    throwsKeyError(() => readPublicKey(big), big, /too large/);
  });

  it('readPublicKey takes a Z85 key as is', () => {
    const { publicKey } = curveKeyPair();
    assert.equal(readPublicKey(publicKey), publicKey);
  });

  it('readAuthorizedKeys: Z85 keys, key files and directories of *.key files, without duplicates', () => {
    const clients = path.join(tmp, 'clients');
    const alice = writeKeyPair(clients, 'alice');
    const bob = writeKeyPair(clients, 'bob');
    // Not a *.key file: ignored in a directory (as pyzmq's load_certificates).
    fs.writeFileSync(path.join(clients, 'README'), 'not a key');
    const carol = writeKeyPair(tmp, 'carol');
    const raw = curveKeyPair().publicKey;
    const keys = readAuthorizedKeys([raw, clients, carol.publicFile, alice.publicFile]);
    assert.deepEqual(keys, [raw, alice.keys.publicKey, bob.keys.publicKey, carol.keys.publicKey]);
    // Secret files in the directory are never read as authorized keys.
    assert.ok(!keys.includes(alice.keys.secretKey));
  });

  it('a path that looks like a Z85 key is read as a path; baseDir resolves relative paths only', () => {
    const dir = path.join(tmp, 'k');
    const alice = writeKeyPair(dir, 'alice');
    // 'k/alice.key' from tmp, padded with './' to 40 characters of the Z85 alphabet.
    const rel = './'.repeat(14) + 'k//alice.key';
    assert.equal(rel.length, 40);
    assert.ok(isZ85Key(rel));
    assert.equal(readPublicKey(rel, tmp), alice.keys.publicKey);
    assert.deepEqual(readAuthorizedKeys([rel, 'k'], tmp), [alice.keys.publicKey]);
    assert.deepEqual(readKeyPair('k/alice.key_secret', tmp), alice.keys);
    // A missing file ending in .key is reported, never taken for a key.
    const typo = './'.repeat(14) + 'k//alicX.key';
    throwsKeyError(() => readPublicKey(typo, tmp), path.join(tmp, 'k/alicX.key'), /no such file/);
    const raw = curveKeyPair().publicKey;
    assert.deepEqual(readAuthorizedKeys([raw], tmp), [raw]);
  });

  it('readAuthorizedKeys: errors name the item', () => {
    const missing = path.join(tmp, 'absent');
    throwsKeyError(() => readAuthorizedKeys([missing]), missing, /expected a Z85 key, a \.key file or a directory/);
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    throwsKeyError(() => readAuthorizedKeys([empty]), empty, /holds no \*\.key file/);
    const bad = path.join(tmp, 'bad');
    fs.mkdirSync(bad);
    fs.writeFileSync(path.join(bad, 'x.key'), 'nothing');
    throwsKeyError(() => readAuthorizedKeys([bad]), path.join(bad, 'x.key'), /no public-key/);
  });

  describe('with pyzmq', function () {
    let python: string | undefined;
    before(function () {
      this.timeout(60000);
      python = pythonWithZmq();
      // python3-zmq (Debian) provides it; the brief asks for it installed, so say loudly when it is not.
      if (python === undefined) {
        console.warn('    python3 with zmq not found: pyzmq interop tests skipped');
        this.skip();
      }
    });

    function py(code: string, ...args: string[]): string {
      const r = spawnSync(python as string, ['-c', code, ...args], { encoding: 'utf8', timeout: 20000 });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.trim();
    }

    it('reads the files zmq.auth.create_certificates writes', () => {
      py('import sys, zmq.auth; zmq.auth.create_certificates(sys.argv[1], "py")', tmp);
      const pair = readKeyPair(path.join(tmp, 'py.key_secret'));
      assert.ok(isZ85Key(pair.publicKey) && isZ85Key(pair.secretKey));
      assert.equal(readPublicKey(path.join(tmp, 'py.key')), pair.publicKey);
      assert.deepEqual(readAuthorizedKeys([tmp]), [pair.publicKey]);
    });

    it('pyzmq reads ours with load_certificate and load_certificates', () => {
      const { keys } = writeKeyPair(tmp, 'ours');
      const out = py(
        [
          'import sys, os, zmq.auth',
          'pub, sec = zmq.auth.load_certificate(os.path.join(sys.argv[1], "ours.key_secret"))',
          'pub2, sec2 = zmq.auth.load_certificate(os.path.join(sys.argv[1], "ours.key"))',
          'certs = zmq.auth.load_certificates(sys.argv[1])',
          'print(pub.decode(), sec.decode(), pub2.decode(), sec2, len(certs))',
        ].join('\n'),
        tmp,
      );
      assert.equal(out, `${keys.publicKey} ${keys.secretKey} ${keys.publicKey} None 1`);
    });
  });
});
