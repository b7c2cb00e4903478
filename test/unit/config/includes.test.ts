import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { loadConfig } from '../../../config';
import { BASE_ENV, fixture, loadFixture, loadText, TempDir, catchConfigError } from './helpers';

describe('config/includes: include and include_dir (spec/daemon.md 1.3)', () => {
  const tmp = new TempDir();
  after(() => tmp.cleanup());

  it('loads 4 watchers from include patterns plus an include_dir, relative to the config dir (8.1 #4)', () => {
    const { config, files } = loadFixture('include.ini');
    assert.deepStrictEqual(
      config.watchers.map((w) => w.name),
      ['dir-a', 'dir-b', 'included-one', 'included-two'],
    );
    assert.deepStrictEqual(files, [
      fixture('include.ini'),
      fixture('included-1.ini'),
      fixture('included-2.ini'),
      fixture('included/a.ini'),
      fixture('included/b.ini'),
    ]);
  });

  it('reads only the *.ini files of an include_dir', () => {
    const { files } = loadFixture('include.ini');
    assert.ok(!files.some((f) => f.endsWith('notes.txt')));
  });

  it('lets the main file win over includes, and included [circus] options fill gaps (8.1 #5)', () => {
    const { config, warnings } = loadFixture('multiple_wildcard.ini');
    assert.deepStrictEqual(config.watchers.map((w) => w.name), ['cron', 'server', 'worker']);
    const server = config.watchers.find((w) => w.name === 'server')!;
    assert.strictEqual(server.env.INI, 'private.ini');
    assert.strictEqual(config.check_delay, 555);
    // include inside an included file is not followed (no recursion, no warning for it)
    assert.deepStrictEqual(warnings, []);
  });

  it('warns, without failing, for a pattern that matches nothing (8.1 #6)', () => {
    const file = tmp.write('nomatch/circus.ini', '[circus]\ninclude = missing-*.ini\n[watcher:w]\ncmd = x\n');
    const { config, warnings } = loadConfig(file, { env: BASE_ENV });
    assert.strictEqual(config.watchers.length, 1);
    assert.strictEqual(warnings.length, 1);
    assert.match(warnings[0], /'missing-\*\.ini' does not lead to any config file/);
    assert.match(warnings[0], /relative to the directory of the main config file/);
  });

  it('splits the value on any whitespace, including continuation lines', () => {
    tmp.write('ws/one.ini', '[watcher:one]\ncmd = 1\n');
    tmp.write('ws/two.ini', '[watcher:two]\ncmd = 2\n');
    tmp.write('ws/three.ini', '[watcher:three]\ncmd = 3\n');
    const file = tmp.write('ws/circus.ini', '[circus]\ninclude = one.ini\ttwo.ini\n    three.ini\n');
    const { config } = loadConfig(file, { env: BASE_ENV });
    assert.deepStrictEqual(config.watchers.map((w) => w.name), ['one', 'three', 'two']);
  });

  it('substitutes $(circus.env.*) in include values from the process env only', () => {
    tmp.write('envinc/conf.d/x.ini', '[watcher:x]\ncmd = x\n');
    const file = tmp.write(
      'envinc/circus.ini',
      '[circus]\ninclude_dir = $(circus.env.CONF_DIR)\ninclude = $(circus.env.FROM_ENV_SECTION)\n[env]\nFROM_ENV_SECTION = x.ini\n',
    );
    const { config, warnings } = loadConfig(file, { env: { ...BASE_ENV, CONF_DIR: 'conf.d' } });
    assert.deepStrictEqual(config.watchers.map((w) => w.name), ['x']);
    assert.strictEqual(warnings.length, 1, 'the [env] value is not visible to include');
    assert.match(warnings[0], /\$\(circus\.env\.FROM_ENV_SECTION\)/);
  });

  it('accepts absolute include patterns', () => {
    const abs = tmp.write('abs/elsewhere.ini', '[watcher:abs]\ncmd = x\n');
    const file = tmp.write('abs-main/circus.ini', `[circus]\ninclude = ${abs}\n`);
    assert.deepStrictEqual(loadConfig(file, { env: BASE_ENV }).config.watchers.map((w) => w.name), ['abs']);
  });

  it('skips a matched file that cannot be read, with a warning (an unreadable include)', () => {
    tmp.write('unreadable/ok.ini', '[watcher:ok]\ncmd = x\n');
    fs.symlinkSync(path.join(tmp.dir, 'unreadable', 'gone.txt'), path.join(tmp.dir, 'unreadable', 'broken.ini'));
    fs.mkdirSync(path.join(tmp.dir, 'unreadable', 'dir.ini'));
    const file = tmp.write('unreadable-main.ini', '[circus]\ninclude_dir = unreadable\n');
    const { config, warnings, files } = loadConfig(file, { env: BASE_ENV });
    assert.deepStrictEqual(config.watchers.map((w) => w.name), ['ok']);
    assert.deepStrictEqual(files, [file, path.join(tmp.dir, 'unreadable', 'ok.ini')]);
    assert.strictEqual(warnings.length, 2);
    assert.match(warnings[0], /broken\.ini: included file skipped, it cannot be read \(ENOENT/);
    assert.match(warnings[1], /dir\.ini: included file skipped, it cannot be read \(EISDIR/);
  });

  it('fails the whole load when an included file has syntax errors, naming that file', () => {
    tmp.write('syntax/bad.ini', '[watcher:bad]\nno separator here\n');
    const file = tmp.write('syntax-main.ini', '[circus]\ninclude = syntax/*.ini\n');
    const err = catchConfigError(() => loadConfig(file, { env: BASE_ENV }));
    assert.strictEqual(err.problems.length, 1);
    assert.strictEqual(err.problems[0].file, path.join(tmp.dir, 'syntax', 'bad.ini'));
    assert.strictEqual(err.problems[0].line, 2);
  });

  it('reads a file matched by a relative main path relative to the current directory', () => {
    const cwd = process.cwd();
    try {
      process.chdir(path.dirname(fixture('include.ini')));
      const { config } = loadConfig('include.ini', { env: BASE_ENV });
      assert.strictEqual(config.watchers.length, 4);
    } finally {
      process.chdir(cwd);
    }
  });

  it('loads the text helper config from a temp dir (sanity)', () => {
    assert.strictEqual(loadText(tmp, '[watcher:t]\ncmd = t\n').config.watchers[0].name, 't');
  });
});
