/**
 * cli/shared/client-curve.ts: --client-key / --server-key and their
 * variables, both or neither, errors naming the option and the file.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClientKeyError, resolveClientCurve } from '../../../../cli/shared/client-curve';
import { writeKeyPair } from '../../../../protocol/curve';

describe('cli/shared/client-curve', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'circus-client-curve-'));
  });
  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function refused(fn: () => unknown, ...parts: string[]): void {
    assert.throws(fn, (e: unknown) => {
      assert.ok(e instanceof ClientKeyError, String(e));
      assert.equal(e.code, 'E_CLIENT_KEY');
      for (const p of parts) assert.ok(e.message.includes(p), `'${e.message}' lacks '${p}'`);
      return true;
    });
  }

  it('neither option nor variable: no CURVE', () => {
    assert.equal(resolveClientCurve({ clientKey: null, serverKey: null }, {}), undefined);
    assert.equal(resolveClientCurve({ clientKey: null, serverKey: null }, { CIRCUS_CLIENT_KEY: '', CIRCUS_SERVER_KEY: '' }), undefined);
  });

  it('reads the client pair and the server key from files or Z85; flags win over variables', () => {
    const alice = writeKeyPair(tmp, 'alice');
    const bob = writeKeyPair(tmp, 'bob');
    const server = writeKeyPair(tmp, 'server');
    const fromFlags = resolveClientCurve({ clientKey: alice.secretFile, serverKey: server.publicFile }, {});
    assert.deepEqual(fromFlags, { serverKey: server.keys.publicKey, keys: alice.keys });
    const fromZ85 = resolveClientCurve({ clientKey: alice.secretFile, serverKey: server.keys.publicKey }, {});
    assert.equal(fromZ85?.serverKey, server.keys.publicKey);
    const env = { CIRCUS_CLIENT_KEY: bob.secretFile, CIRCUS_SERVER_KEY: server.publicFile };
    assert.deepEqual(resolveClientCurve({ clientKey: null, serverKey: null }, env)?.keys, bob.keys);
    assert.deepEqual(resolveClientCurve({ clientKey: alice.secretFile, serverKey: null }, env)?.keys, alice.keys);
  });

  it('one half alone is refused naming both options', () => {
    const alice = writeKeyPair(tmp, 'alice');
    refused(() => resolveClientCurve({ clientKey: alice.secretFile, serverKey: null }, {}), '--client-key', '--server-key', '$CIRCUS_SERVER_KEY');
    refused(() => resolveClientCurve({ clientKey: null, serverKey: alice.publicFile }, {}), '--server-key', '--client-key');
    refused(() => resolveClientCurve({ clientKey: null, serverKey: null }, { CIRCUS_SERVER_KEY: alice.publicFile }), '$CIRCUS_SERVER_KEY', '--client-key');
  });

  it('an unusable key file is refused naming the option and the file', () => {
    const server = writeKeyPair(tmp, 'server');
    const missing = path.join(tmp, 'nope.key_secret');
    refused(() => resolveClientCurve({ clientKey: missing, serverKey: server.publicFile }, {}), '--client-key', missing, 'no such file');
    // A public file given where the pair is expected.
    refused(() => resolveClientCurve({ clientKey: server.publicFile, serverKey: server.publicFile }, {}), '--client-key', server.publicFile, 'no secret-key');
    const badServer = path.join(tmp, 'server-typo.key');
    refused(() => resolveClientCurve({ clientKey: server.secretFile, serverKey: badServer }, {}), '--server-key', badServer);
    refused(() => resolveClientCurve({ clientKey: null, serverKey: null }, { CIRCUS_CLIENT_KEY: missing, CIRCUS_SERVER_KEY: server.publicFile }), '$CIRCUS_CLIENT_KEY', missing);
  });
});
