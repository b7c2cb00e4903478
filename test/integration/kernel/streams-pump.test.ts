import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Arbiter, createArbiter, defaultCircusConfig, WatcherOptions } from '../../../kernel';
import { FilePump } from '../../../kernel/streams/file-pump';
import { fixture, kernelRig, repoRoot, waitFor } from './helpers';

const count = (dir: string): number => readdirSync(dir).length;

describe('kernel integration: FileStream output copied by the file pump thread', function () {
  this.timeout(30000);
  const rig = kernelRig();
  const file = (name: string): string => rig.file(name);

  /** `n` euro-writer.js children writing `bytes` of '€' each (most writes end inside a character) to `stream`. */
  function euroWriters(n: number, bytes: number, stream: Record<string, string>): WatcherOptions {
    return { name: 'euro', cmd: process.execPath, args: [fixture('euro-writer.js'), rig.tmp, String(bytes)], numprocesses: n, respawn: false, graceful_timeout: 1, stdout_stream: stream };
  }

  async function run(w: WatcherOptions): Promise<Arbiter> {
    rig.arbiter = createArbiter({ config: defaultCircusConfig({ check_delay: -1, watchers: [w] }), logger: rig.logger });
    await rig.arbiter.start();
    return rig.arbiter;
  }

  it('interleaves several writers into one file without ever splitting a UTF-8 character', async () => {
    const bytes = 3 * 1024 * 1024;
    const a = await run(euroWriters(4, bytes, { filename: file('euro.log') }));
    await waitFor('every byte in the file', () => statSync(file('euro.log')).size >= 4 * bytes, 20000);
    const text = readFileSync(file('euro.log'), 'utf8');
    assert.equal(statSync(file('euro.log')).size, 4 * bytes);
    assert.ok(!text.includes('\uFFFD'), 'no character was cut between two chunks of different writers');
    assert.ok(/^€+$/.test(text));
    assert.equal(a.getWatcher('euro').streams.redirector.peakBufferedBytes, 0, 'no byte went through the main thread');
    assert.deepEqual(rig.logger.lines.filter((l) => l.includes('failed')), []);
  });

  it('rotates like FileStream: backup_count files, each of at most max_bytes, whole characters only', async () => {
    const bytes = 300 * 1024;
    await run(euroWriters(2, bytes, { filename: file('rot.log'), max_bytes: '100000', backup_count: '3' }));
    const names = (): string[] => readdirSync(rig.tmp).filter((n) => n.startsWith('rot.log')).sort();
    await waitFor('the writers are done', () => rig.arbiter?.getWatcher('euro').pids.length === 0, 20000);
    await rig.arbiter?.getWatcher('euro').stop();
    assert.deepEqual(names(), ['rot.log', 'rot.log.1', 'rot.log.2', 'rot.log.3']);
    for (const n of names()) {
      const size = statSync(file(n)).size;
      // A read is at most max_bytes; a character held back from the previous read may add 2 bytes.
      assert.ok(size > 0 && size <= 100000 + 2, `${n}: ${size} bytes`);
      assert.ok(/^€*$/.test(readFileSync(file(n), 'utf8')), `${n} holds whole characters`);
    }
  });

  it('stop() writes the last words of exited writers, and leaves no fd and no thread behind', async () => {
    const fds = (): number => count('/proc/self/fd');
    const threads = (): number => count('/proc/self/task');
    const once = async (name: string): Promise<void> => {
      const a = await run(euroWriters(3, 3 * 700 * 1024, { filename: file(name) }));
      await waitFor('the writers exited', () => a.getWatcher('euro').pids.length === 0, 20000);
      await a.stop();
      assert.equal(statSync(file(name)).size, 3 * 3 * 700 * 1024, 'every byte written before stop() returned');
    };
    await once('warm.log');
    await FilePump.idle();
    const before = { fds: fds(), threads: threads() };
    await once('out.log');
    await FilePump.idle();
    assert.equal(threads(), before.threads, 'the pump thread ended with the last stream');
    assert.equal(fds(), before.fds, 'pipes and files are all closed');
  });

  it('never keeps the daemon alive: a script ends by itself after stop, and process.exit is prompt while the pump runs', async () => {
    const kernel = path.join(repoRoot(), 'build/kernel');
    const script = (exitEarly: boolean): string => `
      const { createArbiter, defaultCircusConfig } = require(${JSON.stringify(kernel)});
      const fs = require('fs');
      const out = ${JSON.stringify(file(exitEarly ? 'early.log' : 'late.log'))};
      const a = createArbiter({ config: defaultCircusConfig({ check_delay: -1, watchers: [{
        name: 'w', cmd: process.execPath, args: [${JSON.stringify(fixture('euro-writer.js'))}, ${JSON.stringify(rig.tmp)}, '3000'],
        respawn: false, graceful_timeout: 1, stdout_stream: { filename: out } }] }) });
      (async () => {
        await a.start();
        while (fs.statSync(out).size < 3000) await new Promise((r) => setTimeout(r, 5));
        if (${exitEarly}) process.exit(0);
        await a.stop();
      })();`;
    for (const exitEarly of [false, true]) {
      const runner = file(`runner-${exitEarly}.js`);
      writeFileSync(runner, script(exitEarly));
      const child = spawn(process.execPath, [runner, rig.tmp], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve(null);
        }, 10000);
        child.once('exit', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      assert.equal(code, 0, `exitEarly=${exitEarly}: the script ended on its own (${err})`);
      assert.ok(existsSync(file(exitEarly ? 'early.log' : 'late.log')));
    }
  });
});
