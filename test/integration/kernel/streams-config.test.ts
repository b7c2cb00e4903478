import { strict as assert } from 'node:assert';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../../config';
import { Arbiter, createArbiter } from '../../../kernel';
import { cleanup, fixture, makeTmp, MemoryLogger, waitFor } from './helpers';

describe('kernel integration: streams from an INI file (spec 4.2)', function () {
  this.timeout(30000);
  let tmp: string;
  let arbiter: Arbiter | null;

  beforeEach(() => {
    tmp = makeTmp();
    arbiter = null;
  });

  afterEach(async () => {
    const left = await cleanup(arbiter, tmp);
    assert.deepEqual(left, [], 'no fixture process may outlive the test');
  });

  it('class = ./my-stream.js:SlowStream is resolved next to the config file and gets the other keys; time_format prefixes', async () => {
    copyFileSync(fixture('slow-stream.js'), path.join(tmp, 'my-stream.js'));
    const ini = path.join(tmp, 'circus.ini');
    writeFileSync(
      ini,
      [
        '[watcher:w]',
        `cmd = ${process.execPath}`,
        `args = ${fixture('output-writer.js')} ${tmp} lines 2 ini`,
        'graceful_timeout = 1',
        'stdout_stream.class = ./my-stream.js:SlowStream',
        'stdout_stream.delay_ms = 1',
        `stderr_stream.filename = ${path.join(tmp, 'err.log')}`,
        'stderr_stream.time_format = %Y',
        '',
      ].join('\n'),
    );
    const { config } = loadConfig(ini, { env: { PATH: process.env.PATH } });
    const logger = new MemoryLogger();
    arbiter = createArbiter({ config, configPath: ini, logger });
    const w = arbiter.getWatcher('w');
    const mine = w.streams.stream('stdout') as unknown as { options: Record<string, string>; bytes: number };
    assert.deepEqual(mine.options, { delay_ms: '1' });
    await arbiter.start();
    await waitFor('both stdout lines', () => mine.bytes === 'ini out 0\nini out 1\n'.length);
    const year = String(new Date().getFullYear());
    await waitFor('both stderr lines', () => readFileSync(path.join(tmp, 'err.log'), 'utf8').split('\n').length === 3);
    const err = readFileSync(path.join(tmp, 'err.log'), 'utf8');
    assert.match(err, new RegExp(`^${year} \\[${w.pids[0]}\\] \\| ini err 0\\n${year} \\[${w.pids[0]}\\] \\| ini err 1\\n$`));
  });
});
