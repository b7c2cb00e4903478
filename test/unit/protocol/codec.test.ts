import { strict as assert } from 'node:assert';
import { decodeRequest, encodeError, encodeOk, isReplyResult } from '../../../protocol/codec';

const b = (s: string | number[]): Buffer => (typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s));

describe('protocol/codec: decoding a request (spec/protocol.md 1.7)', () => {
  it('drops an empty body and one of ASCII whitespace only', () => {
    for (const body of ['', '   ', ' \t\r\n\x0b\x0c ']) assert.equal(decodeRequest(b(body)).kind, 'drop', JSON.stringify(body));
  });

  it('answers json invalid for bytes that are not JSON or not UTF-8', () => {
    for (const body of [b('not json'), b('{"command": '), b([0xff, 0xfe, 0x7b]), b([0x22, 0xc3, 0x28, 0x22])]) {
      assert.deepEqual(decodeRequest(body), { kind: 'invalid-json' });
    }
  });

  it('drops JSON that is not an object, and a missing or non-string command', () => {
    for (const body of ['[1]', '"list"', 'null', '3', 'true', '{}', '{"command": 3}', '{"command": null}', '{"properties": {}}']) {
      assert.equal(decodeRequest(b(body)).kind, 'drop', body);
    }
  });

  it('reads command (lower-cased, as sent kept), properties as sent, id verbatim or null, cast', () => {
    assert.deepEqual(decodeRequest(b(' \n{"command": "LIST"}\t ')), {
      kind: 'request',
      command: 'LIST',
      name: 'list',
      properties: undefined,
      id: null,
      cast: false,
    });
    const full = decodeRequest(b('{"command": "stop", "msg_type": "cast", "properties": {"name": "web"}, "id": "abc"}'));
    assert.deepEqual(full, { kind: 'request', command: 'stop', name: 'stop', properties: { name: 'web' }, id: 'abc', cast: true });
    assert.equal((decodeRequest(b('{"command": "x", "msg_type": "Cast"}')) as { cast: boolean }).cast, false);
    assert.equal((decodeRequest(b('{"command": "x", "properties": null}')) as { properties: unknown }).properties, null);
    assert.deepEqual((decodeRequest(b('{"command": "x", "properties": [37]}')) as { properties: unknown }).properties, [37]);
  });

  it('echoes an id of any JSON type', () => {
    for (const id of [7, 1.5, { a: [1] }, [1, 'x'], 'x', null, true]) {
      const r = decodeRequest(b(JSON.stringify({ command: 'list', id })));
      assert.deepEqual((r as { id: unknown }).id, id);
    }
  });

  it('accepts a UTF-8 BOM, as json.loads on bytes does, and keeps non-ASCII names', () => {
    const r = decodeRequest(Buffer.concat([b([0xef, 0xbb, 0xbf]), b('{"command": "Fooé\'"}')]));
    assert.equal((r as { command: string }).command, "Fooé'");
  });
});

describe('protocol/codec: encoding replies (spec/protocol.md 1.4)', () => {
  it('ok: status, time (float), the result merged, then id', () => {
    assert.equal(
      encodeOk({ watchers: ['a', 'b'] }, 'x', 1717171717.5).toString(),
      '{"status": "ok", "time": 1717171717.5, "watchers": ["a", "b"], "id": "x"}',
    );
    assert.equal(encodeOk(undefined, null, 2).toString(), '{"status": "ok", "time": 2.0, "id": null}');
    assert.equal(encodeOk(null, 3, 2).toString(), '{"status": "ok", "time": 2.0, "id": 3}');
    assert.equal(encodeOk({}, { a: 1 }, 2).toString(), '{"status": "ok", "time": 2.0, "id": {"a": 1}}');
  });

  it('a result status replaces "ok" in place; a result id keeps its place and gets the request id', () => {
    assert.equal(encodeOk({ status: 'active' }, 'i', 2).toString(), '{"status": "active", "time": 2.0, "id": "i"}');
    assert.equal(encodeOk({ id: 'mine', a: 1 }, 'i', 2).toString(), '{"status": "ok", "time": 2.0, "id": "i", "a": 1}');
  });

  it('wraps an array result as results; refuses a scalar result', () => {
    assert.equal(encodeOk([1, 2], 'i', 2).toString(), '{"status": "ok", "time": 2.0, "results": [1, 2], "id": "i"}');
    for (const bad of ['x', 3, true]) {
      assert.equal(isReplyResult(bad), false);
      assert.throws(() => encodeOk(bad, 'i', 2), TypeError);
    }
  });

  it('writes float fields nested in a result with a decimal point', () => {
    const reply = encodeOk({ options: { graceful_timeout: 30, check_delay: 5 }, info: { '12': { cpu: 0, wid: 1 } } }, 'i', 2);
    assert.equal(
      reply.toString(),
      '{"status": "ok", "time": 2.0, "options": {"graceful_timeout": 30.0, "check_delay": 5.0}, "info": {"12": {"cpu": 0.0, "wid": 1}}, "id": "i"}',
    );
  });

  it('error: keys exactly status, reason, tb, time, errno, id; non-ASCII escaped', () => {
    assert.equal(
      encodeError({ errno: 2, reason: `unknown command: "Fooé'"`, tb: null }, 'i', 1717171717.25).toString(),
      '{"status": "error", "reason": "unknown command: \\"Foo\\u00e9\'\\"", "tb": null, "time": 1717171717.25, "errno": 2, "id": "i"}',
    );
    assert.equal(
      encodeError({ errno: 5, reason: 'x', tb: 'Error: x\n    at y' }, null, 3).toString(),
      '{"status": "error", "reason": "x", "tb": "Error: x\\n    at y", "time": 3.0, "errno": 5, "id": null}',
    );
  });
});
