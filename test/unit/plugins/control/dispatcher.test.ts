import 'reflect-metadata';
import { strict as assert } from 'node:assert';
import { answered, ArgumentError, CommandRegistry, ExclusiveLock, started } from '../../../../kernel';
import { ControlDispatcher } from '../../../../plugins/control/dispatcher';
import { MemoryLogger } from '../../../support/memory-logger';

/** A promise settled from outside, for background work the test controls. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('plugins/control/dispatcher: one request body to one reply (spec/protocol.md 1.6, 1.7)', () => {
  let registry: CommandRegistry;
  let logger: MemoryLogger;
  let dispatcher: ControlDispatcher;
  let work: ReturnType<typeof deferred<unknown>>;

  const send = async (body: string | object): Promise<string | null> => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const reply = await dispatcher.dispatch(Buffer.from(text, 'utf8'));
    return reply === null ? null : reply.toString('utf8');
  };
  const json = async (body: string | object): Promise<Record<string, unknown>> => JSON.parse((await send(body)) as string);

  beforeEach(() => {
    registry = new CommandRegistry(new ExclusiveLock());
    logger = new MemoryLogger('control');
    dispatcher = new ControlDispatcher(registry, logger, () => 2);
    work = deferred<unknown>();
    registry.register({ name: 'list', properties: [], execute: async () => answered({ watchers: ['a', 'b'] }) });
    registry.register({ name: 'numwatchers', properties: [], readsProperties: false, execute: async () => answered({ numwatchers: 2 }) });
    registry.register({ name: 'get', properties: ['name', 'keys'], execute: async (p) => answered({ options: { name: p.name } }) });
    registry.register({ name: 'slow', properties: [], execute: async () => started(work.promise) });
    registry.register({ name: 'scalar', properties: [], execute: async () => answered('just a string') });
    registry.register({
      name: 'bad',
      properties: [],
      execute: async () => {
        throw new ArgumentError('signal invalid');
      },
    });
    registry.register({
      name: 'boom',
      properties: [],
      execute: async () => {
        throw new Error("'t1' already exist");
      },
    });
  });

  it('drops an empty body, non-object JSON and a missing command, with a warning', async () => {
    for (const body of ['', '  \n', '[1, 2]', '"list"', '{"properties": {}}', '{"command": 7}']) {
      assert.equal(await send(body), null, body);
    }
    assert.equal(logger.lines.filter((l) => l.startsWith('WARNING dropped a control message')).length, 6);
  });

  it('answers invalid JSON with errno 1 and id null, even for what may be a cast', async () => {
    const expected = '{"status": "error", "reason": "json invalid", "tb": null, "time": 2.0, "errno": 1, "id": null}';
    assert.equal(await send('not json'), expected);
    assert.equal(await send('{"command": "list", "msg_type": "cast", '), expected);
  });

  it('answers an unknown command with errno 2 and the Python repr of the name as sent', async () => {
    assert.equal(
      await send({ command: 'foo', properties: {}, id: 'x' }),
      `{"status": "error", "reason": "unknown command: 'foo'", "tb": null, "time": 2.0, "errno": 2, "id": "x"}`,
    );
    assert.equal((await json({ command: "Fooé'" })).reason, `unknown command: "Fooé'"`);
    assert.equal((await json({ command: 'a"b' })).reason, `unknown command: 'a"b'`);
  });

  it('matches the name case-insensitively and echoes any id', async () => {
    assert.equal(await send({ command: 'LIST', id: 7 }), '{"status": "ok", "time": 2.0, "watchers": ["a", "b"], "id": 7}');
    assert.deepEqual((await json({ command: 'list', id: { k: [1] } })).id, { k: [1] });
    assert.equal((await json({ command: 'list' })).id, null);
  });

  it('never answers a cast, not even an error', async () => {
    assert.equal(await send({ command: 'list', msg_type: 'cast' }), null);
    assert.equal(await send({ command: 'nope', msg_type: 'cast' }), null);
    assert.equal(await send({ command: 'bad', msg_type: 'cast' }), null);
    assert.equal((await json({ command: 'list', msg_type: 'call' })).status, 'ok');
  });

  it('refuses non-object properties with errno 3, except for commands that never read them', async () => {
    for (const properties of [[37], null, 'x', 3]) {
      const r = await json({ command: 'get', properties, id: 'p' });
      assert.deepEqual(r, { status: 'error', reason: 'properties must be an object', tb: null, time: 2, errno: 3, id: 'p' });
    }
    assert.equal((await json({ command: 'numwatchers', properties: [37] })).numwatchers, 2);
    assert.equal((await json({ command: 'numwatchers', properties: null })).numwatchers, 2);
  });

  it('maps errors: missing property (3), message error (3), anything else (5, with the raw request)', async () => {
    assert.equal(
      await send({ command: 'get', properties: { name: 'web' }, id: 'i' }),
      `{"status": "error", "reason": "message invalid 'keys' is missing", "tb": null, "time": 2.0, "errno": 3, "id": "i"}`,
    );
    assert.equal((await json({ command: 'bad' })).reason, 'signal invalid');
    const raw = '{"command": "boom", "id": "z"}';
    const r = await json(raw);
    assert.equal(r.errno, 5);
    assert.equal(r.reason, `command b'${raw}': 't1' already exist`);
    assert.match(r.tb as string, /^Error: 't1' already exist\n/);
    assert.ok(logger.has("command 'boom' raised"));
  });

  it('answers a result that is not an object with errno 6 server error, and logs it', async () => {
    assert.equal(
      await send({ command: 'scalar', id: 's' }),
      '{"status": "error", "reason": "server error", "tb": null, "time": 2.0, "errno": 6, "id": "s"}',
    );
    assert.ok(logger.has("command 'scalar' answered a string"));
  });

  it('background work: a bare ok at once without waiting; a later failure is only logged', async () => {
    assert.equal(await send({ command: 'slow', id: 1 }), '{"status": "ok", "time": 2.0, "id": 1}');
    for (const waiting of ['', 0, false, [], {}, null]) {
      assert.equal(await send({ command: 'slow', properties: { waiting }, id: 1 }), '{"status": "ok", "time": 2.0, "id": 1}');
    }
    work.reject(new Error('stop failed'));
    await new Promise((r) => setImmediate(r));
    assert.ok(logger.has("command 'slow' failed in the background: Error: stop failed"));
  });

  it('background work with a truthy waiting: answers with the result when it settles', async () => {
    for (const waiting of [true, 'yes', 1, [0], { a: 1 }]) {
      work = deferred<unknown>();
      let settled = false;
      const reply = send({ command: 'slow', properties: { waiting }, id: 'w' }).then((r) => ((settled = true), r));
      await new Promise((r) => setImmediate(r));
      assert.equal(settled, false, `waiting=${JSON.stringify(waiting)} answered before the work ended`);
      work.resolve({ info: { started: [12], kept: [] } });
      assert.equal(await reply, '{"status": "ok", "time": 2.0, "info": {"started": [12], "kept": []}, "id": "w"}');
    }
  });

  it('a waited failure answers errno 6 server error (circus-ts: Circus can stay silent) and logs the real error', async () => {
    const reply = send({ command: 'slow', properties: { waiting: true }, id: 'f' });
    work.reject(new Error('graceful stop failed'));
    assert.equal(await reply, '{"status": "error", "reason": "server error", "tb": null, "time": 2.0, "errno": 6, "id": "f"}');
    assert.ok(logger.has("command 'slow' failed: Error: graceful stop failed"));
  });
});
