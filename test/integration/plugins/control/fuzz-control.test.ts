import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { Dealer } from 'zeromq';
import { Sandbox, waitFor } from '../../cli/circusd-harness';
import { batch, FuzzItem } from './fuzz-requests';

/** Batches per run, and the seed (FC_SEED=<n> replays a failure; fast-check prints seed and path). */
const RUNS = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : 300;
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() ^ (process.pid << 8);
const MAX_REQUEST = 1024 * 1024;

/**
 * Property-based test of the control endpoint (issue 9): batches of random
 * and mutated requests (fuzz-requests.ts) thrown at the real control
 * endpoint of a real circusd over ipc. After every batch the daemon still
 * answers, and its state (watchers, their options, statuses and pids) is
 * what it was before: every request of the batch was invalid or read-only.
 * Each state-changing request with a defect must be refused (errno 2, 3,
 * or 5 from a command's own error, never a JS TypeError and the like).
 */
describe(`circusd control endpoint under random and mutated requests (fast-check, ${RUNS} batches of 1-10)`, function () {
  this.timeout(600_000);
  let box: Sandbox;
  const sockets: Dealer[] = [];

  beforeEach(() => {
    box = new Sandbox();
  });

  afterEach(async () => {
    for (const s of sockets.splice(0)) if (!s.closed) s.close();
    await box.cleanup();
  });

  function dealer(endpoint: string, timeoutMs = 15_000): Dealer {
    const d = new Dealer({ linger: 0, receiveTimeout: timeoutMs, sendTimeout: timeoutMs });
    d.connect(endpoint);
    sockets.push(d);
    return d;
  }

  async function call(d: Dealer, body: object): Promise<Record<string, unknown>> {
    await d.send(JSON.stringify(body));
    return JSON.parse((await d.receive())[0].toString('utf8')) as Record<string, unknown>;
  }

  /** Sends a barrier and reads (dropping anything else) until its reply: every earlier message of `d` was handled. */
  async function drain(d: Dealer, tag: string): Promise<void> {
    await d.send(JSON.stringify({ command: 'status', id: tag }));
    for (let i = 0; i < 10_000; i += 1) {
      const reply = JSON.parse((await d.receive())[0].toString('utf8')) as Record<string, unknown>;
      if (reply.id === tag) return;
    }
    throw new Error(`no reply to the barrier ${tag}`);
  }

  it('never crashes, refuses every defect, and no invalid request changes watchers, options or pids', async () => {
    const config = box.writeConfig(
      'c.ini',
      `[circus]
check_delay = 1
endpoint = ipc://{dir}/ctl.sock
pubsub_endpoint = ipc://{dir}/pub.sock

[watcher:workers]
cmd = {node} {worker} {dir}
numprocesses = 2
graceful_timeout = 1

[watcher:other]
cmd = {node} {worker} {dir}
graceful_timeout = 1
`,
    );
    const run = box.start([config]);
    const endpoint = `ipc://${path.join(box.dir, 'ctl.sock')}`;
    await waitFor('the control socket file', () => existsSync(path.join(box.dir, 'ctl.sock')), 15_000);
    await waitFor('three workers', () => box.workerPids().length === 3 || undefined, 15_000);
    const probe = dealer(endpoint);
    const strict = dealer(endpoint);
    const garbage = dealer(endpoint);

    /** What no invalid request may change. */
    const snapshot = async (): Promise<unknown> => {
      const strip = (r: Record<string, unknown>): Record<string, unknown> => {
        const { time: _t, id: _i, ...rest } = r;
        return rest;
      };
      const list = await call(probe, { command: 'list', id: 'snap' });
      const watchers = list.watchers as string[];
      const each = [];
      for (const name of watchers) {
        each.push({
          name,
          options: strip(await call(probe, { command: 'options', properties: { name }, id: 'o' })),
          pids: strip(await call(probe, { command: 'list', properties: { name }, id: 'p' })),
          status: strip(await call(probe, { command: 'status', properties: { name }, id: 's' })),
        });
      }
      return { watchers, each, workers: box.workerPids() };
    };

    const initial = await snapshot();
    let sent = 0;
    let refused = 0;
    let counter = 0;

    const send = async (item: FuzzItem): Promise<void> => {
      sent += 1;
      if (item.kind === 'defect') {
        await strict.send(JSON.stringify(item.body));
        if (item.cast) return;
        const reply = JSON.parse((await strict.receive())[0].toString('utf8')) as Record<string, unknown>;
        const why = `${item.defect}: ${JSON.stringify(item.body).slice(0, 300)} -> ${JSON.stringify(reply).slice(0, 300)}`;
        assert.deepEqual(reply.id, item.body.id ?? null, why);
        // errno 5 is also what an unexpected exception gives: a JS error class there is a bug.
        assert.doesNotMatch(String(reply.tb), /^(TypeError|RangeError|ReferenceError|SyntaxError)\b/, why);
        if (item.mustRefuse) {
          assert.equal(reply.status, 'error', why);
          assert.ok([2, 3, 5].includes(reply.errno as number), why);
          refused += 1;
        }
      } else if (item.kind === 'raw') {
        assert.ok(item.frame.length <= MAX_REQUEST);
        await garbage.send(item.frame);
      } else if (item.kind === 'multipart') {
        await garbage.send(item.frames as Buffer[]);
      } else {
        const big = new Dealer({ linger: 0 });
        let gone = false;
        big.events.on('disconnect', () => (gone = true));
        big.connect(endpoint);
        try {
          await big.send(Buffer.alloc(MAX_REQUEST + item.extra, 0x20));
          await waitFor('the daemon to drop the client of an oversized frame', () => gone, 10_000);
        } finally {
          big.close();
        }
      }
    };

    await fc.assert(
      fc.asyncProperty(batch, async (items) => {
        const before = await snapshot();
        for (const item of items) await send(item);
        counter += 1;
        await drain(strict, `strict-${counter}`);
        await drain(garbage, `garbage-${counter}`);
        assert.deepEqual(await snapshot(), before);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true, interruptAfterTimeLimit: 400_000, markInterruptAsFailure: true },
    );
    assert.deepEqual(await snapshot(), initial, 'nothing changed over all the runs');
    assert.equal(run.child.exitCode, null, 'circusd is still running');
    const log = run.stdout() + run.stderr();
    // The dispatcher's own failure paths and anything uncaught must never show.
    assert.doesNotMatch(log, /control: handling|a request was lost|uncaught|unhandled|TypeError|RangeError/i, log.slice(-2000));
    assert.ok(refused > RUNS, `sent ${sent}, refused ${refused}`);
  });
});
