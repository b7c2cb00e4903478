/**
 * protocol/client.ts and protocol/subscriber.ts with `curve`: real zeromq
 * CURVE server sockets in the test process (no ZAP handler: libzmq then
 * checks only that the client knows the server's key). The client's routing
 * id binds it to its key (`curve:<public key>`); a client holding the wrong
 * server key gets nothing.
 */
import { strict as assert } from 'node:assert';
import { Publisher, Router, curveKeyPair } from 'zeromq';
import { CallError, CircusClient, curveRoutingId } from '../../../protocol/client';
import type { ClientCurve, CurveKeyPair } from '../../../protocol/curve';
import { boundKey } from '../../../protocol/curve-server';
import { CircusSubscriber } from '../../../protocol/subscriber';

describe('protocol clients with CURVE', () => {
  let server: CurveKeyPair;
  let router: Router | undefined;
  let publisher: Publisher | undefined;
  let client: CircusClient | undefined;
  let subscriber: CircusSubscriber | undefined;

  beforeEach(() => {
    server = curveKeyPair();
  });

  afterEach(() => {
    client?.close();
    subscriber?.close();
    router?.close();
    publisher?.close();
    client = subscriber = router = publisher = undefined;
  });

  async function startRouter(): Promise<{ endpoint: string; identities: string[] }> {
    const r = new Router({ linger: 0, curveServer: true, curveSecretKey: server.secretKey });
    router = r;
    await r.bind('tcp://127.0.0.1:0');
    const identities: string[] = [];
    void (async () => {
      try {
        for await (const [identity, body] of r) {
          identities.push(identity.toString('latin1'));
          const req = JSON.parse(body.toString()) as { id: string };
          await r.send([identity, JSON.stringify({ status: 'ok', id: req.id })]);
        }
      } catch {
        // The router was closed by afterEach.
      }
    })();
    return { endpoint: r.lastEndpoint as string, identities };
  }

  function curveWith(serverKey: string): ClientCurve {
    return { serverKey, keys: curveKeyPair() };
  }

  it('a client with the server key is answered; its routing id is curve:<public key>:<16 hex>', async () => {
    const { endpoint, identities } = await startRouter();
    const curve = curveWith(server.publicKey);
    client = new CircusClient({ endpoint, timeout: 10, curve });
    const idPattern = new RegExp(`^curve:${curve.keys.publicKey.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:[0-9a-f]{16}$`);
    assert.match(client.routingId, idPattern);
    assert.equal(client.routingId.length, 63);
    assert.notEqual(curveRoutingId(curve), curveRoutingId(curve));
    const reply = await client.call('status');
    assert.equal(reply.status, 'ok');
    assert.deepEqual(identities, [client.routingId]);
  });

  it('two clients of one key are both answered (distinct routing ids on one ROUTER)', async () => {
    const { endpoint, identities } = await startRouter();
    const curve = curveWith(server.publicKey);
    client = new CircusClient({ endpoint, timeout: 10, curve });
    const second = new CircusClient({ endpoint, timeout: 10, curve });
    try {
      assert.equal((await client.call('status')).status, 'ok');
      assert.equal((await second.call('status')).status, 'ok');
      assert.equal(new Set(identities).size, 2);
    } finally {
      second.close();
    }
  });

  it("circusd's audit binding (boundKey) reads the key back from our routing id, authorized keys only", () => {
    const curve = curveWith(server.publicKey);
    const serverKeys = { keys: server, authorized: new Set([server.publicKey, curve.keys.publicKey]) };
    assert.equal(boundKey(Buffer.from(curveRoutingId(curve)), serverKeys), curve.keys.publicKey);
    assert.equal(boundKey(Buffer.from(`curve:${curve.keys.publicKey}`), serverKeys), curve.keys.publicKey);
    assert.equal(boundKey(Buffer.from(`${curveRoutingId(curve)}x`), serverKeys), null);
    assert.equal(boundKey(Buffer.from(curveRoutingId(curveWith(server.publicKey))), serverKeys), null);
  });

  it('an explicit routingId wins over the curve binding', async () => {
    const { endpoint, identities } = await startRouter();
    client = new CircusClient({ endpoint, timeout: 10, curve: curveWith(server.publicKey), routingId: 'me' });
    await client.call('status');
    assert.deepEqual(identities, ['me']);
  });

  it('a client holding another server key, or no key, gets no reply (timeout)', async () => {
    const { endpoint, identities } = await startRouter();
    client = new CircusClient({ endpoint, timeout: 1, curve: curveWith(curveKeyPair().publicKey) });
    await assert.rejects(client.call('status'), (e: unknown) => e instanceof CallError && e.message === 'Timed out.');
    client.close();
    client = new CircusClient({ endpoint, timeout: 1 });
    await assert.rejects(client.call('status'), (e: unknown) => e instanceof CallError && e.message === 'Timed out.');
    assert.deepEqual(identities, []);
  });

  it('a subscriber with the server key receives; one with a wrong key receives nothing in the same window', async () => {
    const p = new Publisher({ linger: 0, curveServer: true, curveSecretKey: server.secretKey });
    publisher = p;
    await p.bind('tcp://127.0.0.1:0');
    const endpoint = p.lastEndpoint as string;
    subscriber = new CircusSubscriber({ endpoint, topics: ['watcher.'], curve: curveWith(server.publicKey) });
    const wrong = new CircusSubscriber({ endpoint, topics: ['watcher.'], curve: curveWith(curveKeyPair().publicKey) });
    const wrongGot: string[] = [];
    const wrongLoop = (async () => {
      for await (const [topic] of wrong) wrongGot.push(topic.toString());
    })();
    try {
      const iterator = subscriber[Symbol.asyncIterator]();
      // PUB drops until the subscription has travelled: publish until one arrives (bounded).
      let received: string | undefined;
      const first = iterator.next();
      for (let i = 0; i < 100 && received === undefined; i += 1) {
        await p.send(['watcher.web.start', '{}']);
        const got = await Promise.race([first, new Promise<undefined>((r) => setTimeout(() => r(undefined), 50))]);
        if (got !== undefined && !got.done) received = got.value[0].toString();
      }
      assert.equal(received, 'watcher.web.start');
      assert.deepEqual(wrongGot, []);
    } finally {
      wrong.close();
      await wrongLoop.catch(() => undefined);
    }
  });
});
