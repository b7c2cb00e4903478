import { strict as assert } from 'node:assert';
import { decodeTopic, encodeEvent, eventBody, eventTopic, resourceName } from '../../../../protocol/topics';
import { IPC_FILE_MODE, ipcPath } from '../../../../protocol/ipc-file';

describe('protocol/topics: bus events as pubsub frames (spec/protocol.md 4.1-4.2)', () => {
  it('names the topic after the resource name: lower-cased, spaces as _ (spec 1.11)', () => {
    assert.equal(resourceName('EvT X'), 'evt_x');
    assert.equal(eventTopic('EvT X', 'add'), 'watcher.evt_x.add');
    assert.equal(eventTopic('plugin:flapping', 'spawn'), 'watcher.plugin:flapping.spawn');
    assert.equal(eventTopic('My  Web', 'spawn'), 'watcher.my__web.spawn');
  });

  it('writes each catalogue body in Circus field order with time as a float', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['spawn', { time: 1717171717.123, process_pid: 1234 }, '{"process_pid": 1234, "time": 1717171717.123}'],
      ['reap', { exit_code: -9, time: 1717171790, process_pid: 42 }, '{"process_pid": 42, "time": 1717171790.0, "exit_code": -9}'],
      ['kill', { process_pid: 7, time: 1.5 }, '{"process_pid": 7, "time": 1.5}'],
      ['stop', { time: 1717171717 }, '{"time": 1717171717.0}'],
      ['start', { time: 1717171717.25 }, '{"time": 1717171717.25}'],
      ['add', { time: 2 }, '{"time": 2.0}'],
      ['remove', { time: 2 }, '{"time": 2.0}'],
      ['reload', { time: 2 }, '{"time": 2.0}'],
      ['updated', { time: 2 }, '{"time": 2.0}'],
      ['hook_success', { time: 3, name: 'before_start' }, '{"name": "before_start", "time": 3.0}'],
      ['hook_failure', { error: 'boom', time: 3, name: 'before_start' }, '{"name": "before_start", "time": 3.0, "error": "boom"}'],
    ];
    for (const [name, payload, body] of cases) assert.equal(eventBody({ name, watcher: 'web', payload }), body, name);
  });

  it('encodes two frames, escaping non-ASCII as Python json.dumps does', () => {
    assert.deepEqual(encodeEvent({ name: 'hook_failure', watcher: 'Web', payload: { name: 'after_start', time: 1.5, error: 'é "x"' } }), [
      'watcher.web.hook_failure',
      '{"name": "after_start", "time": 1.5, "error": "\\u00e9 \\"x\\""}',
    ]);
  });

  it('keeps fields outside the catalogue after the known ones, and unknown events as given', () => {
    assert.equal(eventBody({ name: 'spawn', watcher: 'w', payload: { extra: 1, process_pid: 2, time: 3 } }), '{"process_pid": 2, "time": 3.0, "extra": 1}');
    assert.equal(eventBody({ name: 'custom', watcher: 'w', payload: { b: 1, a: 'x' } }), '{"b": 1, "a": "x"}');
  });

  it('decodes frames back to an event (strings or bytes), the watcher being the resource name', () => {
    const [topic, body] = encodeEvent({ name: 'reap', watcher: 'My Web', payload: { process_pid: 9, time: 5, exit_code: -15 } });
    assert.deepEqual(decodeTopic(Buffer.from(topic), Buffer.from(body)), {
      name: 'reap',
      watcher: 'my_web',
      payload: { process_pid: 9, time: 5, exit_code: -15 },
    });
    assert.deepEqual(decodeTopic('watcher.a.b.spawn', '{"process_pid": 1, "time": 1.0}'), {
      name: 'spawn',
      watcher: 'a.b',
      payload: { process_pid: 1, time: 1 },
    });
  });

  it('decodes what is not an event to null', () => {
    assert.equal(decodeTopic('stat.web.12', '{}'), null);
    assert.equal(decodeTopic('watcher.web', '{}'), null);
    assert.equal(decodeTopic('watcher..spawn', '{}'), null);
    assert.equal(decodeTopic('watcher.web.', '{}'), null);
    assert.equal(decodeTopic('watcher.web.spawn', 'not json'), null);
    assert.equal(decodeTopic('watcher.web.spawn', '[1]'), null);
    assert.equal(decodeTopic('watcher.web.spawn', 'null'), null);
  });
});

describe('protocol/ipc-file', () => {
  it('finds the socket file of an ipc endpoint only', () => {
    assert.equal(ipcPath('ipc:///tmp/x.sock'), '/tmp/x.sock');
    assert.equal(ipcPath('ipc://rel/x.sock'), 'rel/x.sock');
    assert.equal(ipcPath('ipc://@abstract'), null);
    assert.equal(ipcPath('ipc://'), null);
    assert.equal(ipcPath('tcp://127.0.0.1:5556'), null);
    assert.equal(IPC_FILE_MODE, 0o600);
  });
});
