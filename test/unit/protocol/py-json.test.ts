import { strict as assert } from 'node:assert';
import { FINITE_FLOAT_REPRS } from '../../support/py-floats';
import { pyFloat } from '../../../config/python';
import { pyJsonFloat, pyJsonString } from '../../../config/python-json';
import { pyJson } from '../../../protocol/py-json';

describe('protocol/py-json: json.dumps as Python writes it', () => {
  const floats: (readonly [number, string])[] = [
    ...FINITE_FLOAT_REPRS,
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
  ];
  for (const [n, text] of floats) {
    it(`float ${n} is written ${text}`, () => {
      assert.equal(pyJsonFloat(n), text);
      assert.equal(pyJson(pyFloat(n)), text);
    });
  }

  it('uses ", " and ": ", ensure_ascii, and Python escapes', () => {
    assert.equal(pyJson({ a: [1, 'x', null, true, false], b: {} , c: [] }), '{"a": [1, "x", null, true, false], "b": {}, "c": []}');
    assert.equal(pyJsonString('é😀\u0001\u007f"\\\b\f\n\r\t/'), '"\\u00e9\\ud83d\\ude00\\u0001\\u007f\\"\\\\\\b\\f\\n\\r\\t/"');
  });

  it('writes integers as ints (never in exponent form) and other numbers as floats', () => {
    assert.equal(pyJson({ n: 3, big: 1e21, neg: -0, f: 0.5 }), '{"n": 3, "big": 1000000000000000000000, "neg": 0, "f": 0.5}');
  });

  it('writes the known float fields with a decimal point at any depth; lists under them stay ints', () => {
    const value = {
      time: 1717171717,
      options: { check_delay: 5, graceful_timeout: 30, numprocesses: 2, warmup_delay: 0 },
      infos: { web: { '123': { cpu: 0, mem: 1, age: 3, started: 17, create_time: 16, pid: 123, cpu2: 0 } } },
      info: { started: [3, 1], kept: [] },
      cpu: 'N/A',
    };
    assert.equal(
      pyJson(value),
      '{"time": 1717171717.0, "options": {"check_delay": 5.0, "graceful_timeout": 30.0, "numprocesses": 2, "warmup_delay": 0}, ' +
        '"infos": {"web": {"123": {"cpu": 0.0, "mem": 1.0, "age": 3.0, "started": 17.0, "create_time": 16.0, "pid": 123, "cpu2": 0}}}, ' +
        '"info": {"started": [3, 1], "kept": []}, "cpu": "N/A"}',
    );
  });

  it('keeps a Map in insertion order (pid keys), skips undefined, and refuses cycles', () => {
    assert.equal(pyJson(new Map<unknown, unknown>([['10', 1], [2, 2]])), '{"10": 1, "2": 2}');
    assert.equal(pyJson({ a: undefined, b: [undefined] }), '{"b": [null]}');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    assert.throws(() => pyJson(loop), /Circular/);
  });

  it('a PyFloat is written as a float wherever it is; decoded replies round-trip', () => {
    assert.equal(pyJson({ n: pyFloat(5), l: [pyFloat(2), 2], started: [pyFloat(1)] }), '{"n": 5.0, "l": [2.0, 2], "started": [1.0]}');
    assert.equal(pyJson({ check_delay: 5, x: 5 }), '{"check_delay": 5.0, "x": 5}');
  });

  it('indent and sort_keys lay out as json.dumps(indent=N, sort_keys=True)', () => {
    const reply = { status: 'ok', b: [1, 2], a: {}, time: 3 };
    assert.equal(
      pyJson(reply, { indent: 2, sortKeys: true }),
      '{\n  "a": {},\n  "b": [\n    1,\n    2\n  ],\n  "status": "ok",\n  "time": 3.0\n}',
    );
    assert.equal(pyJson({ b: [], a: [1] }, { indent: 0 }), '{\n"b": [],\n"a": [\n1\n]\n}');
    assert.equal(pyJson({ b: 1, a: 2 }, { sortKeys: true }), '{"a": 2, "b": 1}');
  });

  it('sort_keys orders by code point as Python does, not by UTF-16 unit', () => {
    // U+FF01 sorts before U+1F600 in Python; as UTF-16 units (0xd83d...) it would sort first.
    assert.equal(pyJson({ '\u{1F600}': 1, '\uff01': 2 }, { sortKeys: true }), '{"\\uff01": 2, "\\ud83d\\ude00": 1}');
  });
});
