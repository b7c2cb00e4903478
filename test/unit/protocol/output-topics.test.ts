import { strict as assert } from 'node:assert';
import { pyJsonString } from '../../../config/python-json';
import { decodeOutput, encodeOutput, OUTPUT_TOPIC_PREFIX, outputBody, outputTopic, pyJsonText } from '../../../protocol/output-topics';
import { pyJson } from '../../../protocol/py-json';

describe('protocol/output-topics: captured child output as pubsub frames (publish_output)', () => {
  it('names the topic output.<resname>.<stream>, never under watcher.', () => {
    assert.equal(OUTPUT_TOPIC_PREFIX, 'output.');
    assert.equal(outputTopic('web', 'stdout'), 'output.web.stdout');
    assert.equal(outputTopic('My Web', 'stderr'), 'output.my_web.stderr');
    assert.equal(outputTopic('plugin:x.y', 'stdout'), 'output.plugin:x.y.stdout');
  });

  it('writes the body as Python json.dumps does: pid first, data, time always a float', () => {
    assert.equal(outputBody(1, 'x', 1.5), '{"pid": 1, "data": "x", "time": 1.5}');
    assert.equal(outputBody(4242, 'line\n', 1700000000), '{"pid": 4242, "data": "line\\n", "time": 1700000000.0}');
    assert.equal(outputBody(7, 'a "q" \\ \t\r', 2.25), '{"pid": 7, "data": "a \\"q\\" \\\\ \\t\\r", "time": 2.25}');
  });

  it('escapes non-ASCII as \\uXXXX (surrogate pairs beyond the BMP) and decodes bytes as UTF-8', () => {
    const bytes = Buffer.from('é€😀\n', 'utf8');
    assert.deepEqual(encodeOutput({ watcher: 'W', stream: 'stdout', pid: 9, data: bytes, time: 3 }), [
      'output.w.stdout',
      '{"pid": 9, "data": "\\u00e9\\u20ac\\ud83d\\ude00\\n", "time": 3.0}',
    ]);
    // A subarray of a larger buffer: only its own bytes count.
    const big = Buffer.from('xxabcxx');
    assert.equal(outputBody(1, big.subarray(2, 5), 1), '{"pid": 1, "data": "abc", "time": 1.0}');
    // An invalid sequence becomes U+FFFD, as the text of any other reader would.
    assert.equal(outputBody(1, Buffer.from([0x61, 0xff]), 1), '{"pid": 1, "data": "a\\ufffd", "time": 1.0}');
  });

  it('decodes what it encodes, from text or bytes, keeping a dotted watcher name whole', () => {
    const [topic, body] = encodeOutput({ watcher: 'a.b c', stream: 'stderr', pid: 12, data: 'é\0z', time: 1700000000.125 });
    const want = { watcher: 'a.b_c', stream: 'stderr', pid: 12, data: 'é\0z', time: 1700000000.125 };
    assert.deepEqual(decodeOutput(topic, body), want);
    assert.deepEqual(decodeOutput(Buffer.from(topic), Buffer.from(body)), want);
  });

  it('decodes to null whatever is not an output chunk', () => {
    const body = '{"pid": 1, "data": "x", "time": 1.0}';
    const cases: [string, string][] = [
      ['watcher.web.spawn', '{"process_pid": 1, "time": 1.0}'],
      ['output.web.stdin', body],
      ['output.web', body],
      ['output..stdout', body],
      ['output.stdout', body],
      ['output.web.stdout', 'not json'],
      ['output.web.stdout', '[1]'],
      ['output.web.stdout', 'null'],
      ['output.web.stdout', '{"pid": 1.5, "data": "x", "time": 1.0}'],
      ['output.web.stdout', '{"pid": "1", "data": "x", "time": 1.0}'],
      ['output.web.stdout', '{"pid": 1, "data": 5, "time": 1.0}'],
      ['output.web.stdout', '{"pid": 1, "data": "x"}'],
    ];
    for (const [t, b] of cases) assert.equal(decodeOutput(t, b), null, `${t} ${b}`);
  });
});

describe('protocol/output-topics: pyJsonText, the fast json.dumps of a chunk', () => {
  it('writes every UTF-16 code unit exactly as pyJsonString does', () => {
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      assert.equal(pyJsonText(ch), pyJsonString(ch), `U+${c.toString(16)}`);
      assert.equal(pyJsonText(`a${ch}é`), pyJsonString(`a${ch}é`), `U+${c.toString(16)} beside non-ASCII`);
    }
  });

  it('matches pyJsonString on long mixed text, ASCII-only text, binary junk and lone surrogates', () => {
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = ['a', ' ', '\n', '\t', '"', '\\', '\0', '\x7f', 'é', '€', '😀', '\ud800', '\udc00', '/', '~'];
    for (let round = 0; round < 50; round++) {
      const s = Array.from({ length: rand(5000) }, () => alphabet[rand(alphabet.length)]).join('');
      assert.equal(pyJsonText(s), pyJsonString(s));
    }
    const ascii = 'plain "text" with \\ and \n\r\t\b\f\x01 controls'.repeat(100);
    assert.equal(pyJsonText(ascii), pyJsonString(ascii));
    assert.equal(pyJsonText(''), '""');
    const big = '€'.repeat(300_000);
    assert.equal(pyJsonText(big), pyJsonString(big), 'beyond the reused buffer');
    assert.equal(pyJsonText('é'), '"\\u00e9"', 'and the reused buffer is not disturbed by it');
  });

  it('the body equals pyJson of {pid, data, time}', () => {
    for (const [pid, data, time] of [[1, 'x', 1.5], [2 ** 40, 'é\0', 3], [7, '', 1700000000.123456]] as const) {
      assert.equal(outputBody(pid, data, time), pyJson({ pid, data, time }));
    }
  });
});
