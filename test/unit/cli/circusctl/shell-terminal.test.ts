/** The shell on a (simulated) terminal: Tab completion of commands and watchers, history file. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { COMMANDS } from '../../../../cli/circusctl/commands/index';
import { runShell } from '../../../../cli/circusctl/shell';

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('cli/circusctl shell on a terminal', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'circusctl-shell-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('completes command and watcher names, and keeps the history', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let screen = '';
    output.on('data', (d: Buffer) => (screen += d.toString('utf8')));
    const executed: string[][] = [];
    const historyFile = path.join(dir, 'history');
    fs.writeFileSync(historyFile, 'status\n');
    const done = runShell({
      input,
      output,
      terminal: true,
      commands: COMMANDS,
      historyFile,
      interrupt: new AbortController().signal,
      execute: async (words) => {
        executed.push(words);
        return undefined;
      },
      watchers: async () => ['web', 'worker', 'beta'],
    });
    input.write('numw\t');
    await until('command completion', () => screen.includes('numwatchers'));
    input.write('\r');
    await until('numwatchers to run', () => executed.length === 1);
    input.write('stop be\t');
    await until('watcher completion', () => screen.includes('beta'));
    input.write('\r');
    await until('stop beta to run', () => executed.length === 2);
    input.write('\x04');
    assert.equal(await done, 0);
    assert.deepEqual(executed, [['numwatchers'], ['stop', 'beta']]);
    assert.deepEqual(fs.readFileSync(historyFile, 'utf8').split('\n').filter(Boolean), ['status', 'numwatchers ', 'stop beta']);
  });
});
