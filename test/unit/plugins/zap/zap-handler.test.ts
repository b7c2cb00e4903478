import { strict as assert } from 'node:assert';
import { curveKeyPair, Dealer, Router } from 'zeromq';
import { decideZap, ZapError, ZapHandler, z85Encode, type ZapDecision } from '../../../../plugins/zap';
import { publicKeyOf } from '../../../../protocol/curve';
import { MemoryLogger } from '../../../support/memory-logger';

/** The frames of a ZAP request after the routing id, as libzmq sends them. */
function request(key: Buffer | null, over: Partial<Record<'version' | 'domain' | 'mechanism', string>> = {}): Buffer[] {
  const frames: Buffer[] = [
    Buffer.alloc(0),
    Buffer.from(over.version ?? '1.0'),
    Buffer.from('7'),
    Buffer.from(over.domain ?? 'circus'),
    Buffer.from('127.0.0.1'),
    Buffer.alloc(0),
    Buffer.from(over.mechanism ?? 'CURVE'),
  ];
  if (key !== null) frames.push(key);
  return frames;
}

/** The 32 raw bytes of a Z85 key (what a ZAP request carries). */
function z85Decode(text: string): Buffer {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';
  const out = Buffer.alloc((text.length / 5) * 4);
  for (let i = 0; i < text.length; i += 5) {
    let v = 0;
    for (let j = 0; j < 5; j++) v = v * 85 + alphabet.indexOf(text[i + j]);
    out.writeUInt32BE(v, (i / 5) * 4);
  }
  return out;
}

describe('ZAP handler', () => {
  it('z85Encode: RFC 32 test vector, and round-trips zeromq keys', () => {
    assert.equal(z85Encode(Buffer.from([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b])), 'HelloWorld');
    const { publicKey, secretKey } = curveKeyPair();
    assert.equal(z85Encode(z85Decode(publicKey)), publicKey);
    assert.equal(publicKeyOf(secretKey), publicKey);
    assert.throws(() => z85Encode(Buffer.alloc(3)), RangeError);
  });

  it('decideZap: only CURVE, in the circus domain, with an authorized key, is let in', () => {
    const alice = curveKeyPair().publicKey;
    const mallory = curveKeyPair().publicKey;
    const authorized = new Set([alice]);
    const pick = (d: ZapDecision): [boolean, string | null, string] => [d.allowed, d.key, d.reason];
    assert.deepEqual(pick(decideZap(request(z85Decode(alice)), authorized)), [true, alice, 'authorized key']);
    assert.deepEqual(pick(decideZap(request(z85Decode(mallory)), authorized)), [false, mallory, 'key not authorized']);
    assert.deepEqual(pick(decideZap(request(z85Decode(alice), { domain: 'other' }), authorized)), [false, alice, "unknown ZAP domain 'other'"]);
    assert.deepEqual(pick(decideZap(request(null, { mechanism: 'NULL' }), authorized)), [false, null, 'mechanism NULL is not accepted (CURVE only)']);
    assert.deepEqual(pick(decideZap(request(Buffer.from('short')), authorized)), [false, null, 'no CURVE public key in the request']);
    assert.deepEqual(pick(decideZap(request(z85Decode(alice), { version: '2.0' }), authorized)), [false, alice, 'malformed ZAP request']);
    assert.deepEqual(pick(decideZap([], authorized)), [false, null, 'malformed ZAP request']);
    const d = decideZap(request(z85Decode(mallory)), authorized);
    assert.equal(d.address, '127.0.0.1');
    assert.equal(d.mechanism, 'CURVE');
    assert.equal(d.domain, 'circus');
  });

  describe('on real sockets (inproc ZAP, tcp://127.0.0.1)', function () {
    this.timeout(20_000);
    const sockets: (Router | Dealer)[] = [];
    let handler: ZapHandler | null = null;
    afterEach(async () => {
      for (const s of sockets) if (!s.closed) s.close();
      sockets.length = 0;
      await handler?.close();
      handler = null;
    });

    it('answers libzmq: an authorized client reaches the server, another key does not; each decision is reported', async () => {
      const server = curveKeyPair();
      const alice = curveKeyPair();
      const mallory = curveKeyPair();
      const decisions: ZapDecision[] = [];
      const logger = new MemoryLogger();
      handler = await ZapHandler.bind((f) => decideZap(f, new Set([alice.publicKey])), (d) => decisions.push(d), logger);
      const router = new Router({ linger: 0, curveServer: true, curveSecretKey: server.secretKey, zapDomain: 'circus', zapEnforceDomain: true });
      sockets.push(router);
      await router.bind('tcp://127.0.0.1:*');
      const client = (pair: typeof alice): Dealer => {
        const d = new Dealer({ linger: 0, receiveTimeout: 3000, curveServerKey: server.publicKey, curvePublicKey: pair.publicKey, curveSecretKey: pair.secretKey });
        d.connect(router.lastEndpoint as string);
        sockets.push(d);
        return d;
      };
      const good = client(alice);
      await good.send('hello');
      const [, body] = await router.receive();
      assert.equal(body.toString(), 'hello');
      const bad = client(mallory);
      await bad.send('let me in');
      const deadline = Date.now() + 10_000;
      while (decisions.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(decisions.map((d) => [d.key, d.allowed, d.address]), [[alice.publicKey, true, '127.0.0.1'], [mallory.publicKey, false, '127.0.0.1']]);
      assert.deepEqual(logger.notices, []);
    });

    it('a second handler in the same process is refused with ZapError (after a bounded wait)', async () => {
      handler = await ZapHandler.bind((f) => decideZap(f, new Set()), () => undefined, new MemoryLogger());
      await assert.rejects(ZapHandler.bind((f) => decideZap(f, new Set()), () => undefined, new MemoryLogger()), (err: unknown) => err instanceof ZapError && /another ZAP handler is bound in this process/.test((err as Error).message));
    });

    it('rebinding right after a close works (the inproc name is released within the wait)', async () => {
      for (let i = 0; i < 20; i++) {
        const h = await ZapHandler.bind((f) => decideZap(f, new Set()), () => undefined, new MemoryLogger());
        await h.close();
      }
    });
  });
});
