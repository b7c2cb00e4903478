/**
 * One circusd run for the built-in plugin end-to-end tests: an INI file in a
 * sandbox (its `[plugin:NAME]` sections resolved by circusd itself), a
 * control client, and a graceful stop that checks no process carrying the
 * sandbox path survives.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CircusClient } from '../../../../protocol/client';
import { Sandbox, type CircusdRun } from '../../cli/circusd-harness';
import { fixture, processesWith, waitFor } from '../../kernel/helpers';

export { waitFor };

/** A running circusd with its sandbox. */
export class PluginDaemon {
  readonly box = new Sandbox();
  private run: CircusdRun | null = null;
  private client: CircusClient | null = null;

  get dir(): string {
    return this.box.dir;
  }

  /**
   * Writes the INI ({dir}, {node}, {programs}: test/fixtures/programs,
   * substituted) and starts circusd; resolves once its control socket exists.
   */
  async start(ini: string): Promise<void> {
    const file = this.box.writeConfig('circus.ini', ini.replace(/\{programs\}/g, path.dirname(fixture('die.js'))));
    this.run = this.box.start([file]);
    await waitFor('circusd to answer', () => fs.existsSync(path.join(this.dir, 'ctl.sock')), 15_000);
  }

  /** circusd's log so far (Circus logs to stderr for `-`). */
  log(): string {
    return this.run ? this.run.stderr() + this.run.stdout() : '';
  }

  /** A control command; resolves with the reply's fields. */
  async call(command: string, props: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    this.client ??= new CircusClient({ endpoint: `ipc://${this.dir}/ctl.sock`, timeout: 10 });
    return this.client.call(command, props);
  }

  /** Live pids of a watcher, from `list`. */
  async pids(watcher: string): Promise<number[]> {
    const reply = await this.call('list', { name: watcher });
    return Array.isArray(reply.pids) ? (reply.pids as number[]) : [];
  }

  /** SIGTERM, wait for circusd to exit, then check nothing it started is left; removes the sandbox. */
  async close(): Promise<void> {
    this.client?.close();
    this.client = null;
    const run = this.run;
    this.run = null;
    if (run && run.child.exitCode === null && run.child.signalCode === null) {
      run.child.kill('SIGTERM');
      await Promise.race([run.exited, new Promise((r) => setTimeout(r, 20_000))]);
    }
    const left = processesWith(this.dir);
    await this.box.cleanup();
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    assert.deepEqual(left, [], 'no process started by circusd may outlive it');
  }
}
