import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCircusd } from '../../../cli/circusd/run';
import type { ArbiterHandle, ArbiterOutcome, CircusdSeams } from '../../../cli/circusd/seams';
import type { CircusConfig } from '../../../config/model';
import { defaultCircusConfig } from '../../../kernel/index';

/** An arbiter whose life the test scripts: it records what circusd asked of it. */
class ScriptedArbiter implements ArbiterHandle {
  readonly calls: string[] = [];
  readonly done: Promise<ArbiterOutcome>;
  finish!: (outcome: ArbiterOutcome) => void;

  /** While set, start() waits for it (a slow start). */
  gate: Promise<void> | null = null;

  constructor(
    readonly config: CircusConfig,
    private readonly startError: Error | null,
  ) {
    this.done = new Promise((resolve) => {
      this.finish = resolve;
    });
  }

  async start(): Promise<void> {
    this.calls.push('start');
    if (this.gate) await this.gate;
    if (this.startError) throw this.startError;
  }

  async reload(): Promise<void> {
    this.calls.push('reload');
  }

  requestStop(): void {
    this.calls.push('requestStop');
    this.finish('quit');
  }

  async emergencyStop(): Promise<void> {
    this.calls.push('emergencyStop');
  }
}

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('cli/circusd: start-up sequence and arbiter loop (scripted arbiter)', () => {
  let dir: string;
  let configFile: string;
  let logFile: string;
  let pidFile: string;
  let arbiters: ScriptedArbiter[];
  let loads: number;
  let startErrors: Array<Error | null>;
  let out: string;
  let err: string;

  const seams: { -readonly [K in keyof CircusdSeams]: CircusdSeams[K] } = {
    loadConfig: () => {
      loads++;
      return { config: defaultCircusConfig({ logoutput: logFile, pidfile: pidFile, check_delay: loads }), warnings: ['a loader warning'] };
    },
    constructionWarnings: () => [],
    formatConfig: (c) => JSON.stringify(c),
    createArbiter: ({ config }) => {
      const a = new ScriptedArbiter(config, startErrors.shift() ?? null);
      arbiters.push(a);
      return a;
    },
    isConfigError: () => false,
  };

  function run(): Promise<number> {
    return runCircusd([configFile], seams, { out: (t) => (out += t), err: (t) => (err += t) }, { script: 'unused', env: {} });
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'circusd-run-'));
    configFile = path.join(dir, 'c.ini');
    fs.writeFileSync(configFile, '');
    logFile = path.join(dir, 'c.log');
    pidFile = path.join(dir, 'c.pid');
    arbiters = [];
    loads = 0;
    startErrors = [];
    out = '';
    err = '';
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a full restart re-reads the config file into a new arbiter, keeping the pidfile', async () => {
    const exit = run();
    await until('the first arbiter', () => arbiters.length === 1 && arbiters[0].calls.includes('start'));
    const pidBefore = fs.readFileSync(pidFile, 'utf8');
    arbiters[0].finish('restart');
    await until('the second arbiter', () => arbiters.length === 2 && arbiters[1].calls.includes('start'));
    assert.equal(loads, 2);
    assert.equal(arbiters[1].config.check_delay, 2, 'built from the re-read file');
    assert.equal(fs.readFileSync(pidFile, 'utf8'), pidBefore);
    process.emit('SIGTERM', 'SIGTERM');
    assert.equal(await exit, 0);
    assert.deepEqual(arbiters[1].calls, ['start', 'requestStop']);
    assert.ok(!fs.existsSync(pidFile));
    const log = fs.readFileSync(logFile, 'utf8');
    assert.match(log, /\[WARNING\] a loader warning\n.*\[INFO\] Registering signals\.\.\.\n/);
    assert.match(log, /\[INFO\] Got signal SIG_TERM/);
    assert.equal(process.listenerCount('SIGTERM'), 0, 'signal handlers removed');
  });

  it('SIGHUP reloads the arbiter; SIGWINCH is only logged', async () => {
    const exit = run();
    await until('the arbiter', () => arbiters[0]?.calls.includes('start') === true);
    process.emit('SIGHUP', 'SIGHUP');
    process.emit('SIGWINCH', 'SIGWINCH');
    await until('the reload', () => arbiters[0].calls.includes('reload'));
    process.emit('SIGINT', 'SIGINT');
    assert.equal(await exit, 0);
    assert.deepEqual(arbiters[0].calls, ['start', 'reload', 'requestStop']);
    const log = fs.readFileSync(logFile, 'utf8');
    assert.match(log, /Got signal SIG_HUP\n.*Got signal SIG_WINCH\n.*Got signal SIG_INT\n/);
  });

  it('a failing start ends in an emergency stop and exit 1 with a clear message', async () => {
    startErrors = [new Error('cannot bind ipc://x')];
    assert.equal(await run(), 1);
    assert.deepEqual(arbiters[0].calls, ['start', 'emergencyStop']);
    assert.match(err, /^circusd: circusd stopped after an unexpected error: cannot bind ipc:\/\/x\n$/);
    assert.ok(!fs.existsSync(pidFile));
    assert.match(fs.readFileSync(logFile, 'utf8'), /\[CRITICAL\] unexpected error, stopping everything: Error: cannot bind/);
  });

  it('an uncaught error while running triggers the emergency stop, exit 1', async () => {
    // mocha fails a test on any uncaught exception: its listeners step aside
    // so that circusd's own handler is the one that sees this one.
    const saved = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    try {
      const exit = run();
      await until('the arbiter', () => arbiters[0]?.calls.includes('start') === true);
      process.emit('uncaughtException', new Error('late failure'));
      assert.equal(await exit, 1);
      assert.deepEqual(arbiters[0].calls, ['start', 'emergencyStop']);
      assert.match(err, /late failure/);
      assert.equal(process.listenerCount('uncaughtException'), 0, 'circusd removed its handler');
    } finally {
      for (const l of saved) process.on('uncaughtException', l);
    }
  });

  it('a stop signal while the arbiter is still starting is not lost', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const original = seams.createArbiter;
    seams.createArbiter = (o) => {
      const a = original(o) as ScriptedArbiter;
      a.gate = gate;
      return a;
    };
    try {
      const exit = run();
      await until('the start to begin', () => arbiters[0]?.calls.includes('start') === true);
      process.emit('SIGQUIT', 'SIGQUIT');
      release();
      assert.equal(await exit, 0);
      assert.equal(arbiters.length, 1);
      assert.ok(arbiters[0].calls.includes('requestStop'));
    } finally {
      seams.createArbiter = original;
    }
  });
});
