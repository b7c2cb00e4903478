import 'reflect-metadata';
import { strict as assert } from 'node:assert';
import { answered, CommandRegistry, ExclusiveLock, started } from '../../../../kernel';
import { ControlDispatcher } from '../../../../plugins/control/dispatcher';
import { capReason, InFlightLimit, MAX_REASON_LENGTH, routerLimits, tooManyRequests } from '../../../../plugins/control/limits';
import { MemoryLogger } from '../../../support/memory-logger';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((res) => (resolve = res));
  return { promise, resolve };
}

const body = (o: object): Buffer => Buffer.from(JSON.stringify(o), 'utf8');
const parse = (b: Buffer | null): Record<string, unknown> => JSON.parse((b as Buffer).toString('utf8')) as Record<string, unknown>;

describe('plugins/control/limits: per-client bounds of the control endpoint', () => {
  it('routerLimits: frame size from max_request_size, queues from max_requests_per_client (replies twice), mandatory off', () => {
    assert.deepEqual(routerLimits({ max_request_size: 4096, max_requests_per_client: 8 }), {
      maxMessageSize: 4096,
      sendHighWaterMark: 16,
      receiveHighWaterMark: 8,
      mandatory: false,
    });
  });

  it('InFlightLimit counts per routing id, refuses at the bound, and forgets a client at zero', () => {
    const limit = new InFlightLimit(2);
    const a = Buffer.from('a');
    const b = Buffer.from([0, 1, 2]);
    assert.equal(limit.enter(a), true);
    assert.equal(limit.enter(a), true);
    assert.equal(limit.enter(a), false);
    assert.equal(limit.enter(b), true);
    assert.deepEqual([limit.of(a), limit.of(b), limit.clients], [2, 1, 2]);
    limit.leave(a);
    assert.equal(limit.enter(a), true);
    limit.leave(a);
    limit.leave(a);
    limit.leave(b);
    assert.equal(limit.clients, 0);
  });

  it('capReason keeps a short reason and cuts a long one to its head and tail', () => {
    const short = tooManyRequests(3);
    assert.equal(capReason(short), short);
    const long = { errno: 2, reason: `unknown command: '${'x'.repeat(100_000)}'`, tb: null };
    const cut = capReason(long);
    assert.ok(cut.reason.length < MAX_REASON_LENGTH + 64, String(cut.reason.length));
    assert.ok(cut.reason.startsWith("unknown command: 'xxx"));
    assert.ok(cut.reason.endsWith("xxx'"));
    assert.match(cut.reason, /\[\.\.\. \d+ characters cut \.\.\.\]/);
  });

  describe('ControlDispatcher with max_requests_per_client', () => {
    let registry: CommandRegistry;
    let logger: MemoryLogger;
    let work: ReturnType<typeof deferred<unknown>>;
    let dispatcher: ControlDispatcher;
    const alice = Buffer.from('alice');
    const bob = Buffer.from('bob');

    beforeEach(() => {
      registry = new CommandRegistry(new ExclusiveLock());
      logger = new MemoryLogger('control');
      work = deferred<unknown>();
      registry.register({ name: 'slow', properties: [], execute: async () => started(work.promise) });
      registry.register({ name: 'list', properties: [], execute: async () => answered({ watchers: [] }) });
      dispatcher = new ControlDispatcher(registry, logger, () => 2, 3);
    });

    it('answers the request beyond the bound errno 5 at once, with its id; other clients and later requests are served', async () => {
      const pending = [1, 2, 3].map((i) => dispatcher.dispatch(body({ command: 'slow', properties: { waiting: true }, id: i }), alice));
      await new Promise((r) => setImmediate(r));
      assert.equal(dispatcher.inFlightOf(alice), 3);
      const refused = parse(await dispatcher.dispatch(body({ command: 'list', id: 'over' }), alice));
      assert.deepEqual(refused, {
        status: 'error',
        reason: 'too many requests in flight from this client (max_requests_per_client = 3)',
        tb: null,
        time: 2,
        errno: 5,
        id: 'over',
      });
      assert.equal(await dispatcher.dispatch(body({ command: 'list', msg_type: 'cast' }), alice), null, 'a cast is never answered');
      assert.equal(parse(await dispatcher.dispatch(body({ command: 'list', id: 'b' }), bob)).status, 'ok');
      assert.equal(parse(await dispatcher.dispatch(body({ command: 'list', id: 'free' }))).status, 'ok', 'no client: no bound');
      // Input that runs nothing is answered as before, even over the bound.
      assert.equal(parse(await dispatcher.dispatch(Buffer.from('nope'), alice)).errno, 1);
      assert.equal(logger.lines.filter((l) => l.includes('requests in flight; refusing more')).length, 1, 'one warning per burst');
      work.resolve({ done: 1 });
      assert.deepEqual((await Promise.all(pending)).map((r) => parse(r).id), [1, 2, 3]);
      assert.equal(dispatcher.inFlightOf(alice), 0);
      assert.equal(parse(await dispatcher.dispatch(body({ command: 'list', id: 'again' }), alice)).status, 'ok');
    });

    it('a request that fails still leaves the count', async () => {
      registry.register({ name: 'boom', properties: [], execute: async () => Promise.reject(new Error('kaboom')) });
      for (let i = 0; i < 5; i += 1) assert.equal(parse(await dispatcher.dispatch(body({ command: 'boom', id: i }), alice)).errno, 5);
      assert.equal(dispatcher.inFlightOf(alice), 0);
    });

    it('an error reason echoing a huge request is cut (the reply stays about the size of the request)', async () => {
      const name = 'z'.repeat(200_000);
      const reply = (await dispatcher.dispatch(body({ command: name, id: 1 }), alice)) as Buffer;
      assert.ok(reply.length < MAX_REASON_LENGTH + 200, String(reply.length));
      assert.equal(parse(reply).errno, 2);
    });
  });
});
