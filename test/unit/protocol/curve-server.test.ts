import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { curveKeyPair } from 'zeromq';
import { writeKeyPair } from '../../../protocol/curve';
import { boundKey, curveServerSocketOptions, CurveServerConfigError, loadCurveServer } from '../../../protocol/curve-server';

describe('CURVE server settings from [circus]', () => {
  let dir: string;
  let ini: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'curve-server-'));
    fs.mkdirSync(path.join(dir, 'etc'));
    ini = path.join(dir, 'etc', 'circus.ini');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is off (null, no socket options, no binding) without curve_secret_key', () => {
    assert.equal(loadCurveServer({ curve_secret_key: null, curve_authorized_keys: [] }, ini), null);
    assert.deepEqual(curveServerSocketOptions(null), {});
    assert.equal(boundKey(Buffer.from(`curve:${curveKeyPair().publicKey}`), null), null);
  });

  it('reads paths relative to the INI folder; Z85 keys, .key files and directories; the server key is always authorized', () => {
    const server = writeKeyPair(path.join(dir, 'etc', 'keys'), 'server').keys;
    const alice = writeKeyPair(path.join(dir, 'etc', 'clients'), 'alice').keys;
    const bob = writeKeyPair(path.join(dir, 'etc', 'more'), 'bob').keys;
    const carol = curveKeyPair().publicKey;
    const curve = loadCurveServer({ curve_secret_key: 'keys/server.key_secret', curve_authorized_keys: ['clients', 'more/bob.key', carol] }, ini);
    assert.ok(curve);
    assert.deepEqual(curve.keys, server);
    assert.deepEqual([...curve.authorized].sort(), [server.publicKey, alice.publicKey, bob.publicKey, carol].sort());
    assert.deepEqual(curveServerSocketOptions(curve), { curveServer: true, curveSecretKey: server.secretKey, zapDomain: 'circus', zapEnforceDomain: true });
  });

  it('binds a routing id `curve:K` to K only when K is authorized', () => {
    writeKeyPair(path.join(dir, 'etc'), 'server');
    const alice = writeKeyPair(path.join(dir, 'etc'), 'alice').keys;
    const curve = loadCurveServer({ curve_secret_key: 'server.key_secret', curve_authorized_keys: ['alice.key'] }, ini);
    assert.equal(boundKey(Buffer.from(`curve:${alice.publicKey}`), curve), alice.publicKey);
    assert.equal(boundKey(Buffer.from(`curve:${curveKeyPair().publicKey}`), curve), null);
    assert.equal(boundKey(Buffer.from(`CURVE:${alice.publicKey}`), curve), null);
    assert.equal(boundKey(Buffer.from(alice.publicKey), curve), null);
    assert.equal(boundKey(Buffer.from([0, 1, 2, 3]), curve), null);
  });

  it('errors name the [circus] key and the file', () => {
    writeKeyPair(path.join(dir, 'etc'), 'server');
    const check = (opts: { curve_secret_key: string; curve_authorized_keys: string[] }, key: string, text: RegExp): void => {
      assert.throws(
        () => loadCurveServer(opts, ini),
        (err: unknown) => err instanceof CurveServerConfigError && err.code === 'E_CURVE_CONFIG' && err.key === key && text.test(err.message),
      );
    };
    check({ curve_secret_key: 'nope.key_secret', curve_authorized_keys: ['server.key'] }, 'curve_secret_key', /^\[circus\] curve_secret_key = nope\.key_secret: .*etc\/nope\.key_secret: no such file/);
    check({ curve_secret_key: 'server.key', curve_authorized_keys: ['server.key'] }, 'curve_secret_key', /etc\/server\.key has no secret-key/);
    check({ curve_secret_key: 'server.key_secret', curve_authorized_keys: ['gone.key'] }, 'curve_authorized_keys', /^\[circus\] curve_authorized_keys: .*etc\/gone\.key/);
    fs.mkdirSync(path.join(dir, 'etc', 'empty'));
    check({ curve_secret_key: 'server.key_secret', curve_authorized_keys: ['empty'] }, 'curve_authorized_keys', /empty holds no \*\.key file/);
  });
});
