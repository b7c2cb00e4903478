/**
 * A CURVE-enabled circusd for the client tests (issue 9): key pairs made in
 * the sandbox (the server's; alice, authorized through the keys/clients
 * directory; mallory, valid but not authorized), the control endpoint on
 * tcp://127.0.0.1:<free port>, pubsub and stats on ipc files, an audit log,
 * one worker watcher. Ready once alice's status is answered.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CircusClient } from '../../../protocol/client';
import { type CurveKeyPair, writeKeyPair } from '../../../protocol/curve';
import { freePort } from '../../support/free-port';
import { type CircusdRun, type Sandbox, waitFor } from './circusd-harness';

/** Files and keys of one sandboxed CURVE daemon. */
export interface CurveDaemon {
  readonly run: CircusdRun;
  readonly endpoint: string;
  readonly pubsub: string;
  readonly stats: string;
  readonly auditLog: string;
  readonly server: { readonly publicFile: string; readonly keys: CurveKeyPair };
  /** Authorized (keys/clients/alice.key). */
  readonly alice: { readonly secretFile: string; readonly keys: CurveKeyPair };
  /** A valid pair that is not authorized. */
  readonly mallory: { readonly secretFile: string; readonly keys: CurveKeyPair };
  /** `--client-key <file> --server-key <file>` for a key pair. */
  args(who: { readonly secretFile: string }): string[];
}

/** Makes the keys in `sandbox/keys`: the server pair, alice under clients/ (secret moved out), mallory. */
export function makeKeys(dir: string): Pick<CurveDaemon, 'server' | 'alice' | 'mallory'> {
  const keys = path.join(dir, 'keys');
  const server = writeKeyPair(keys, 'server');
  const alice = writeKeyPair(path.join(keys, 'clients'), 'alice');
  // Only public files belong in the authorized directory.
  const aliceSecret = path.join(keys, 'alice.key_secret');
  fs.renameSync(alice.secretFile, aliceSecret);
  const mallory = writeKeyPair(keys, 'mallory');
  return {
    server: { publicFile: server.publicFile, keys: server.keys },
    alice: { secretFile: aliceSecret, keys: alice.keys },
    mallory: { secretFile: mallory.secretFile, keys: mallory.keys },
  };
}

/** Starts the daemon; `extra` lines go in [circus] (e.g. `statsd = true`, `httpd = 1`). */
export async function startCurveDaemon(sandbox: Sandbox, extra = ''): Promise<CurveDaemon> {
  const made = makeKeys(sandbox.dir);
  const port = await freePort();
  const endpoint = `tcp://127.0.0.1:${port}`;
  const file = sandbox.writeConfig(
    'circus.ini',
    `[circus]
check_delay = 1
endpoint = ${endpoint}
pubsub_endpoint = ipc://{dir}/pub.sock
stats_endpoint = ipc://{dir}/stats.sock
curve_secret_key = keys/server.key_secret
curve_authorized_keys = keys/clients
audit_log = audit.log
${extra}

[watcher:workers]
cmd = {node} {worker} {dir}
numprocesses = 1
graceful_timeout = 1
`,
  );
  const run = sandbox.start([file]);
  const daemon: CurveDaemon = {
    ...made,
    run,
    endpoint,
    pubsub: `ipc://${sandbox.dir}/pub.sock`,
    stats: `ipc://${sandbox.dir}/stats.sock`,
    auditLog: path.join(sandbox.dir, 'audit.log'),
    args: (who) => ['--client-key', who.secretFile, '--server-key', made.server.publicFile],
  };
  const client = new CircusClient({ endpoint, timeout: 1, curve: { serverKey: made.server.keys.publicKey, keys: made.alice.keys } });
  try {
    // A call made before circusd binds just waits on the same socket; retry on timeouts (bounded in count and time).
    const deadline = Date.now() + 20_000;
    let answered = false;
    for (let i = 0; i < 40 && !answered && Date.now() < deadline; i += 1) {
      answered = (await client.call('status').catch(() => undefined))?.status === 'ok';
    }
    if (!answered) throw new Error(`the CURVE circusd did not answer alice within 20 s\ncircusd stderr:\n${run.stderr()}`);
  } finally {
    client.close();
  }
  await waitFor('the worker to run', () => sandbox.workerPids().length === 1 || undefined, 20_000);
  return daemon;
}
