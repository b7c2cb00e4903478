/**
 * protocol/client.ts against a real zeromq ROUTER in the test process:
 * framing, key order, identity, id matching (out of order, stale), the
 * timeout and cast.
 */
import { strict as assert } from 'node:assert';
import { CallError, CircusClient } from '../../../protocol/client';
import { FakeCircusd, type Received } from '../../integration/cli/fake-circusd';

describe('protocol/client CircusClient', () => {
  let daemon: FakeCircusd | undefined;
  let client: CircusClient | undefined;

  afterEach(async () => {
    client?.close();
    client = undefined;
    await daemon?.stop();
    daemon = undefined;
  });

  async function start(handler: (req: Received) => Record<string, unknown> | string | undefined): Promise<string> {
    daemon = new FakeCircusd('tcp://127.0.0.1:0', handler);
    await daemon.start();
    return daemon.boundEndpoint;
  }

  it('sends one frame with keys command, properties, id and a 32-hex identity', async () => {
    const endpoint = await start(() => ({ status: 'ok', time: 1.5, watchers: ['web'] }));
    client = new CircusClient({ endpoint });
    const reply = await client.call('list', { name: 'web' });
    assert.deepEqual(reply.watchers, ['web']);
    const req = (daemon as FakeCircusd).requests[0];
    assert.equal(req.frames, 1);
    assert.deepEqual(Object.keys(req.json), ['command', 'properties', 'id']);
    assert.match(req.json.id as string, /^[0-9a-f]{32}$/);
    assert.match(req.identity.toString(), /^[0-9a-f]{32}$/);
    assert.notEqual(req.identity.toString(), req.json.id);
    assert.equal(reply.id, req.json.id);
  });

  it('matches out-of-order replies to concurrent calls by id', async () => {
    const held: Received[] = [];
    const endpoint = await start((req) => {
      held.push(req);
      return undefined;
    });
    client = new CircusClient({ endpoint });
    const a = client.call('status', { name: 'a' });
    const b = client.call('status', { name: 'b' });
    const deadline = Date.now() + 5000;
    while (held.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(held.length, 2);
    // Answer b first, then a.
    for (const req of [held[1], held[0]]) {
      const name = (req.json.properties as Record<string, string>).name;
      await (daemon as FakeCircusd).send(req.identity, JSON.stringify({ status: `state-${name}`, id: req.json.id }));
    }
    assert.equal((await a).status, 'state-a');
    assert.equal((await b).status, 'state-b');
  });

  it('discards a reply with a stale or null id and waits for its own', async () => {
    const endpoint = await start(() => undefined);
    const fake = daemon as FakeCircusd;
    fake.setHandler((req) => {
      void fake
        .send(req.identity, JSON.stringify({ status: 'error', reason: 'json invalid', id: null }))
        .then(() => fake.send(req.identity, JSON.stringify({ status: 'ok', id: 'f'.repeat(32), stale: true })))
        .then(() => fake.send(req.identity, JSON.stringify({ status: 'ok', id: req.json.id, mine: true })));
      return undefined;
    });
    client = new CircusClient({ endpoint });
    const reply = await client.call('numwatchers');
    assert.equal(reply.mine, true);
  });

  it('rejects with CallError "Timed out." when nothing answers', async () => {
    const endpoint = await start(() => undefined);
    client = new CircusClient({ endpoint, timeout: 0.3 });
    await assert.rejects(client.call('list'), (e: unknown) => e instanceof CallError && e.message === 'Timed out.');
  });

  it('times out against an endpoint where nothing is bound', async () => {
    client = new CircusClient({ endpoint: 'tcp://127.0.0.1:1', timeout: 0.3 });
    await assert.rejects(client.call('list'), /Timed out\./);
  });

  it('cast adds msg_type after command and resolves without waiting for a reply', async () => {
    const endpoint = await start(() => undefined);
    client = new CircusClient({ endpoint, timeout: 0.2 });
    assert.deepEqual(await client.call('stop', { name: 'web' }, { cast: true }), {});
    const deadline = Date.now() + 5000;
    while ((daemon as FakeCircusd).requests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(Object.keys((daemon as FakeCircusd).requests[0].json), ['command', 'msg_type', 'properties', 'id']);
    assert.equal((daemon as FakeCircusd).requests[0].json.msg_type, 'cast');
  });

  it('never hits EBUSY with many concurrent calls on one socket', async () => {
    const endpoint = await start((req) => ({ status: 'ok', n: (req.json.properties as { n: number }).n }));
    client = new CircusClient({ endpoint });
    const c = client;
    const replies = await Promise.all(Array.from({ length: 50 }, (_, n) => c.call('x', { n })));
    assert.deepEqual(replies.map((r) => r.n), Array.from({ length: 50 }, (_, n) => n));
  });

  it('reports an undecodable reply as a CallError', async () => {
    const endpoint = await start(() => 'not json');
    client = new CircusClient({ endpoint });
    await assert.rejects(client.call('list'), (e: unknown) => e instanceof CallError && /JSON|Unexpected/.test(e.message));
  });

  it('pending calls reject when the client is closed', async () => {
    const endpoint = await start(() => undefined);
    client = new CircusClient({ endpoint });
    const p = client.call('list');
    client.close();
    await assert.rejects(p, /client closed/);
  });
});
