import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CommandReloaderPlugin, isModified, locateCommand, plugin, substituteEnv } from '../../../../plugins/command-reloader/index';
import { FakePluginContext } from '../../../support/fake-plugin-context';

describe('command_reloader plugin (spec/daemon.md 6.12)', () => {
  let tmp: string;

  beforeEach(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'circus-reloader-'));
  });

  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  function program(name: string): string {
    const file = path.join(tmp, name);
    writeFileSync(file, '#!/bin/sh\nexec sleep 100\n', { mode: 0o755 });
    return file;
  }

  it('descriptor: loop_rate is an int, default 1; honours active; Circus class path (8.7 #78)', () => {
    assert.deepEqual(plugin.options, { loop_rate: { type: 'int', default: 1, min: 1 } });
    assert.equal(plugin.honoursActive, true);
    assert.deepEqual(plugin.aliases, ['circus.plugins.command_reloader.CommandReloader']);
  });

  it('is_modified: a changed mtime or path counts, identical ones do not, an unseen watcher never does', () => {
    const a = { path: '/x', mtimeNs: 1n };
    assert.equal(isModified(undefined, a), false);
    assert.equal(isModified(a, { path: '/x', mtimeNs: 1n }), false);
    assert.equal(isModified(a, { path: '/x', mtimeNs: 2n }), true);
    assert.equal(isModified(a, { path: '/y', mtimeNs: 1n }), true);
  });

  describe('locating the program (Q31 fixed: the first token, not the whole cmd)', () => {
    it('resolves a bare name on the watcher PATH, symlinks included', async () => {
      const sleep = await locateCommand({ cmd: 'sleep 120', env: { PATH: '/usr/bin:/bin' }, workingDir: tmp });
      assert.equal(sleep.path, realpathSync(existsSync('/usr/bin/sleep') ? '/usr/bin/sleep' : '/bin/sleep'));
      const target = program('real.sh');
      symlinkSync(target, path.join(tmp, 'link'));
      const viaLink = await locateCommand({ cmd: 'link --flag', env: { PATH: tmp }, workingDir: '/' });
      assert.equal(viaLink.path, realpathSync(target));
    });

    it('resolves a relative path from working_dir and substitutes $(circus.env.*) first', async () => {
      const target = program('app.sh');
      assert.equal((await locateCommand({ cmd: './app.sh', env: null, workingDir: tmp })).path, realpathSync(target));
      assert.equal(
        (await locateCommand({ cmd: '$(circus.env.APPDIR)/app.sh -v', env: { APPDIR: tmp }, workingDir: '/' })).path,
        realpathSync(target),
      );
      assert.equal(substituteEnv('((circus.env.x))/$(CIRCUS.ENV.Y)/$(circus.env.none)', { X: 'a', y: 'b' }), 'a/b/$(circus.env.none)');
    });

    it('fails with a reason for a missing program or an empty cmd', async () => {
      await assert.rejects(locateCommand({ cmd: 'no-such-program-xyz', env: { PATH: tmp }, workingDir: tmp }), /'no-such-program-xyz' is not found on PATH/);
      await assert.rejects(locateCommand({ cmd: '  ', env: null, workingDir: tmp }), /cmd is empty/);
    });
  });

  describe('periods', () => {
    let watchers: Record<string, { cmd: string; env?: Record<string, string> }>;
    let ctx: FakePluginContext;
    let reloader: CommandReloaderPlugin;
    let failRestart = false;

    beforeEach(async () => {
      failRestart = false;
      watchers = {};
      ctx = new FakePluginContext({
        replies: {
          list: () => ({ watchers: [...Object.keys(watchers), 'plugin:reloader'].sort() }),
          get: (props) => {
            const w = watchers[String(props.name)];
            return w ? { options: { cmd: w.cmd, env: w.env ?? {}, working_dir: tmp } } : new Error(`program ${String(props.name)} not found`);
          },
          restart: () => (failRestart ? new Error('arbiter is already running arbiter_reload command') : {}),
        },
      });
      reloader = new CommandReloaderPlugin(ctx, { loop_rate: 2 });
      await reloader.start();
    });

    afterEach(async () => {
      await reloader.stop();
      assert.deepEqual(ctx.periodSeconds, []);
      assert.equal(ctx.subscriptions, 0, 'event handling is a no-op: no subscription at all');
    });

    function commands(): string[] {
      return ctx.sent.map((i) => `${i.command}${i.props.name ? ` ${String(i.props.name)}` : ''}`);
    }

    it('runs every loop_rate seconds; a new watcher is only recorded; plugin: watchers are skipped', async () => {
      assert.deepEqual(ctx.periodSeconds, [2]);
      watchers.web = { cmd: program('web.sh') };
      await ctx.tick();
      assert.deepEqual(commands(), ['list', 'get web'], 'the last command issued is get');
      assert.equal(reloader.seen('web')?.path, realpathSync(watchers.web.cmd));
    });

    it('restarts a known watcher whose program changed and records the new state', async () => {
      const file = program('web.sh');
      watchers.web = { cmd: `${file} --port 80` };
      await ctx.tick();
      await ctx.tick();
      assert.deepEqual(commands(), ['list', 'get web', 'list', 'get web'], 'unchanged: no restart');
      utimesSync(file, new Date(), new Date(Date.now() + 5000));
      await ctx.tick();
      assert.deepEqual(commands().slice(4), ['list', 'get web', 'restart web']);
      assert.ok(ctx.logger.has(`INFO ${realpathSync(file)} modified. Restarting.`));
      await ctx.tick();
      assert.equal(commands().filter((c) => c === 'restart web').length, 1, 'the new mtime is recorded');
    });

    it('a changed real path (symlink retargeted) counts as modified', async () => {
      const a = program('a.sh');
      const b = program('b.sh');
      // Same mtime on both: only the real path differs.
      const when = new Date(1_700_000_000_000);
      utimesSync(a, when, when);
      utimesSync(b, when, when);
      const link = path.join(tmp, 'current');
      symlinkSync(a, link);
      watchers.web = { cmd: link };
      await ctx.tick();
      unlinkSync(link);
      symlinkSync(b, link);
      await ctx.tick();
      assert.ok(commands().includes('restart web'));
    });

    it('forgets vanished watchers; a missing program is reported once and does not stop the period', async () => {
      watchers.gone = { cmd: program('gone.sh') };
      watchers.broken = { cmd: 'missing-program-xyz', env: { PATH: tmp } };
      watchers.web = { cmd: program('web.sh') };
      await ctx.tick();
      await ctx.tick();
      assert.ok(reloader.seen('gone'));
      assert.ok(reloader.seen('web'), 'checked after the broken one');
      assert.equal(ctx.logger.lines.filter((l) => l.includes('cannot check the command of broken')).length, 1, 'logged once');
      delete watchers.gone;
      await ctx.tick();
      assert.equal(reloader.seen('gone'), undefined);
    });

    it('a restart that fails keeps the old record, so the next period retries it', async () => {
      const file = program('web.sh');
      watchers.web = { cmd: file };
      await ctx.tick();
      utimesSync(file, new Date(), new Date(Date.now() + 5000));
      failRestart = true;
      await ctx.tick();
      assert.ok(ctx.logger.has('restart of web failed: arbiter is already running arbiter_reload command'));
      failRestart = false;
      await ctx.tick();
      assert.equal(commands().filter((c) => c === 'restart web').length, 2);
      await ctx.tick();
      assert.equal(commands().filter((c) => c === 'restart web').length, 2);
    });
  });
});
