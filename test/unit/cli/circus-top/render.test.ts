import { strict as assert } from 'node:assert';
import { parseCircusTopArgs, TopArgsError } from '../../../../cli/circus-top/args';
import { fixed2, renderTop, WAITING } from '../../../../cli/circus-top/render';
import { StatsModel } from '../../../../cli/circus-top/stats-model';

describe('circus-top view (unit)', () => {
  it('waits for data until something other than circusd-stats arrives', () => {
    const model = new StatsModel(3000);
    assert.deepEqual(renderTop(model.view(0)), [WAITING]);
    model.add({ watcher: 'circusd-stats', subtopic: '1', body: { pid: 1, cpu: 0 } }, 0);
    assert.deepEqual(renderTop(model.view(0)), [WAITING]);
  });

  it('sorts rows by the formatted CPU string, descending, at most 10', () => {
    const model = new StatsModel(3000);
    for (let pid = 1; pid <= 12; pid += 1) model.add({ watcher: 'web', subtopic: String(pid), body: { pid, cpu: pid, mem: 0, age: 1, name: null } }, 0);
    const lines = renderTop(model.view(0));
    const pids = lines.filter((l) => /^ {3}\d+ /.test(l)).map((l) => Number(l.trim().split(/\s+/)[0]));
    // "9.00" > "8.00" > ... > "12.00" > "11.00" > "10.00" > "1.00" as strings.
    assert.deepEqual(pids, [9, 8, 7, 6, 5, 4, 3, 2, 12, 11]);
  });

  it('drops rows older than the process timeout, then the watcher', () => {
    const model = new StatsModel(3000);
    model.add({ watcher: 'web', subtopic: '1', body: { pid: 1, cpu: 0 } }, 0);
    model.add({ watcher: 'web', subtopic: '2', body: { pid: 2, cpu: 0 } }, 2000);
    assert.deepEqual(model.view(4000)[0].rows.map((r) => r.pid), [2]);
    assert.deepEqual(model.view(6000), []);
  });

  it('formats numbers with two decimals and keeps N/A', () => {
    assert.equal(fixed2(0), '0.00');
    assert.equal(fixed2(12.345), '12.35');
    assert.equal(fixed2('N/A'), 'N/A');
    assert.equal(fixed2(undefined), 'N/A');
  });

  it('parses the options of spec 5.3', () => {
    assert.deepEqual(parseCircusTopArgs([]), {
      endpoint: 'tcp://127.0.0.1:5557',
      ssh: null,
      clientKey: null,
      serverKey: null,
      processTimeout: 3,
      version: false,
      help: false,
    });
    assert.equal(parseCircusTopArgs(['--client-key', 'a.key_secret', '--server-key=s.key']).clientKey, 'a.key_secret');
    assert.equal(parseCircusTopArgs(['--server-key=s.key']).serverKey, 's.key');
    assert.equal(parseCircusTopArgs(['--stats-endpoint', 'ipc:///x']).endpoint, 'ipc:///x');
    assert.equal(parseCircusTopArgs(['--process-timeout=7']).processTimeout, 7);
    assert.throws(() => parseCircusTopArgs(['--process-timeout', 'x']), TopArgsError);
    assert.throws(() => parseCircusTopArgs(['extra']), TopArgsError);
  });
});
