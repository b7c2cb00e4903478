/**
 * The other clients with CURVE keys against the built circusd with
 * curve_secret_key (issue 9): circusd-stats, circus-top (under tmux),
 * circus-plugin, circushttpd's bridges and the in-process panel each work
 * with an authorized key; without one (or with an unauthorized one) they
 * get nothing; a missing half of the key options is refused naming both.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CircusSubscriber } from '../../../protocol/subscriber';
import { freePort } from '../../support/free-port';
import { processesWith } from '../kernel/helpers';
import { TmuxPane } from './circus-top-tmux';
import { ROOT, Sandbox, waitFor } from './circusd-harness';
import { type CurveDaemon, startCurveDaemon } from './curve-support';

const BIN = (name: string): string => path.join(ROOT, 'build', 'cli', `${name}.js`);

interface Child {
  readonly child: ChildProcess;
  out(): string;
  err(): string;
  readonly exited: Promise<number | null>;
}

describe('CURVE keys in circusd-stats, circus-top, circus-plugin and the web panels (integration)', function () {
  this.timeout(120_000);
  let sb: Sandbox;
  let panes: TmuxPane[];
  let subs: CircusSubscriber[];

  beforeEach(() => {
    sb = new Sandbox();
    panes = [];
    subs = [];
  });

  afterEach(async () => {
    for (const p of panes) p.kill();
    for (const s of subs) s.close();
    const marker = sb.dir;
    await sb.cleanup();
    await waitFor('no client process left', () => processesWith(marker).length === 0, 10_000);
  });

  function run(tool: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Child {
    const child = spawn(process.execPath, [BIN(tool), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CIRCUS_CLIENT_KEY: undefined, CIRCUS_SERVER_KEY: undefined, ...env },
    });
    sb.track(child.pid as number);
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    return { child, out: () => out, err: () => err, exited };
  }

  async function daemonsOf(port: number): Promise<{ connected: boolean; error: string | null }[] | undefined> {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/daemons`);
      return ((await res.json()) as { daemons: { connected: boolean; error: string | null }[] }).daemons;
    } catch {
      // Not listening yet.
      return undefined;
    }
  }

  /** `status name=workers` as a panel user sends it (no password on loopback). */
  async function statusThroughPanel(port: number): Promise<unknown> {
    const res = await fetch(`http://127.0.0.1:${port}/api/commands/status?name=workers`);
    return ((await res.json()) as { status: unknown }).status;
  }

  async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (let i = 0; i < 2000; i += 1) {
      const v = await check();
      if (v !== undefined) return v;
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out after ${ms} ms waiting for ${what}`);
  }

  it('circusd-stats with keys follows circusd and publishes stat.*; without keys it fails (Timed out., exit 1)', async () => {
    const d = await startCurveDaemon(sb);
    const statspoint = `ipc://${sb.dir}/mine.sock`;
    const topics = new Set<string>();
    const sub = new CircusSubscriber({ endpoint: statspoint, topics: ['stat.'] });
    subs.push(sub);
    sub.connect();
    void (async () => {
      for await (const [topic] of sub) topics.add(topic.toString());
    })();
    const keyed = run('circusd-stats', ['--endpoint', d.endpoint, '--pubsub', d.pubsub, '--statspoint', statspoint, ...d.args(d.alice)]);
    await waitFor('stat.workers from the keyed circusd-stats', () => topics.has('stat.workers') || undefined, 30_000).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}\n${keyed.err()}`);
    });
    keyed.child.kill('SIGTERM');
    assert.equal(await keyed.exited, 0);
    const keyless = run('circusd-stats', ['--endpoint', d.endpoint, '--pubsub', d.pubsub, '--statspoint', `ipc://${sb.dir}/other.sock`]);
    assert.equal(await keyless.exited, 1);
    assert.match(keyless.err(), /circusd-stats: Timed out\./);
  });

  it('circus-top with keys shows the watcher; a keyless one beside it shows none', async () => {
    const d = await startCurveDaemon(sb, 'statsd = true');
    const keyed = new TmuxPane();
    const keyless = new TmuxPane();
    panes.push(keyed, keyless);
    keyed.type(`${process.execPath} ${BIN('circus-top')} --endpoint ${d.stats} ${d.args(d.alice).join(' ')}`);
    keyless.type(`${process.execPath} ${BIN('circus-top')} --endpoint ${d.stats}`);
    await waitFor('the keyed circus-top to show workers', () => /^\s*workers\b/m.test(keyed.screen()) || undefined, 30_000).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}\n${keyed.screen()}`);
    });
    // A second sample period for the keyless one: the keyed pane has already received at least one.
    const seen = keyed.screen();
    await waitFor('another repaint of the keyed pane', () => keyed.screen() !== seen || undefined, 10_000).catch(() => undefined);
    assert.doesNotMatch(keyless.screen(), /^\s*workers\b/m);
  });

  it('circus-top and circus-plugin refuse one key option alone, naming both (exit 1)', async () => {
    const top = run('circus-top', ['--endpoint', `ipc://${sb.dir}/none.sock`, '--server-key', 'x.key']);
    assert.equal(await top.exited, 1);
    assert.match(top.err(), /^circus-top: --server-key was given without --client-key \(\$CIRCUS_CLIENT_KEY\)/);
    const plugin = run('circus-plugin', ['--endpoint', `ipc://${sb.dir}/none.sock`, 'watchdog'], { CIRCUS_CLIENT_KEY: 'a.key_secret' });
    assert.equal(await plugin.exited, 1);
    assert.match(plugin.err(), /circus-plugin: \$CIRCUS_CLIENT_KEY was given without --server-key \(\$CIRCUS_SERVER_KEY\)/);
    const stats = run('circusd-stats', ['--client-key', path.join(sb.dir, 'nope.key_secret'), '--server-key', 'x.key']);
    assert.equal(await stats.exited, 1);
    assert.match(stats.err(), /circusd-stats: --client-key \S+nope\.key_secret: cannot read key file/);
  });

  it('circus-plugin with keys lists watchers over the control endpoint and gets events over pub/sub', async () => {
    const d: CurveDaemon = await startCurveDaemon(sb);
    const events = path.join(sb.dir, 'events.log');
    const read = (): string => (fs.existsSync(events) ? fs.readFileSync(events, 'utf8') : '');
    const plugin = run('circus-plugin', [
      '--endpoint', d.endpoint,
      '--pubsub', d.pubsub,
      '--config', `name:plugin:oop:::file:${events}:::list_every:0.2:::prefix:oop`,
      ...d.args(d.alice),
      './examples/plugins/inprocess-logger:plugin',
    ]);
    await waitFor('the plugin to list watchers', () => /oop watchers: .*workers/.test(read()) || undefined, 20_000).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}\n${plugin.err()}`);
    });
    const ctl = BIN('circusctl');
    for (let i = 0; i < 20 && !/oop workers \w+ /.test(read()); i += 1) {
      const restart = spawn(process.execPath, [ctl, '--endpoint', d.endpoint, ...d.args(d.alice), 'restart', 'workers', '--waiting'], { stdio: 'ignore' });
      await new Promise((r) => restart.once('close', r));
      await waitFor('an event or a pause', () => /oop workers \w+ /.test(read()) || undefined, 500).catch(() => undefined);
    }
    assert.match(read(), /oop workers \w+ \{/);
    plugin.child.kill('SIGTERM');
    assert.equal(await plugin.exited, 0);
  });

  it("circushttpd's bridge connects with an authorized key, not with an unauthorized one", async () => {
    const d = await startCurveDaemon(sb);
    const [good, bad] = [await freePort(), await freePort()];
    run('circushttpd', ['--port', String(good), '--endpoint', d.endpoint, '--timeout', '2', ...d.args(d.alice)]);
    run('circushttpd', ['--port', String(bad), '--endpoint', d.endpoint, '--timeout', '2', ...d.args(d.mallory)]);
    await until('the keyed panel to connect', async () => ((await daemonsOf(good))?.[0]?.connected ? true : undefined));
    // A user's command goes through the bridge's second client of the same key, beside the first.
    assert.equal(await statusThroughPanel(good), 'active');
    // The unauthorized bridge has tried and failed at least once: it reports why.
    const refused = await until('the unauthorized panel to report its failure', async () => {
      const daemon = (await daemonsOf(bad))?.[0];
      return daemon !== undefined && daemon.error !== null ? daemon : undefined;
    });
    assert.equal(refused.connected, false);
    assert.match(refused.error as string, /Timed out/);
  });

  it('the in-process panel connects with the server key pair when curve_secret_key is set', async () => {
    const port = await freePort();
    await startCurveDaemon(sb, `httpd = 1\nhttpd_host = 127.0.0.1\nhttpd_port = ${port}`);
    const daemons = await until('the in-process panel to connect', async () => {
      const list = await daemonsOf(port);
      return list?.[0]?.connected ? list : undefined;
    });
    assert.equal(daemons.length, 1);
    assert.equal(await statusThroughPanel(port), 'active');
  });
});
