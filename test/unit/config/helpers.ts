/** Shared helpers of the config loader tests. */

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, loadConfig, LoadResult } from '../../../config';

function findRepoRoot(start: string): string {
  let dir = start;
  for (let i = 0; i < 10; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`no package.json above ${start}`);
}

export const REPO_ROOT = findRepoRoot(__dirname);
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'config');

/** Absolute path of a fixture under test/fixtures/config. */
export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

/** A fixed process env, so no test depends on the machine's. */
export const BASE_ENV: Readonly<Record<string, string>> = Object.freeze({
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOME: '/home/tester',
});

/** Loads a fixture with BASE_ENV plus `extra`. */
export function loadFixture(name: string, extra: Record<string, string> = {}): LoadResult {
  return loadConfig(fixture(name), { env: { ...BASE_ENV, ...extra } });
}

/** A temporary directory removed by `cleanup()`. */
export class TempDir {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'circus-ts-config-'));

  write(name: string, text: string): string {
    const file = path.join(this.dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Writes `text` as `circus.ini` in `tmp` and loads it with BASE_ENV plus `extra`. */
export function loadText(tmp: TempDir, text: string, extra: Record<string, string> = {}): LoadResult {
  return loadConfig(tmp.write('circus.ini', text), { env: { ...BASE_ENV, ...extra } });
}

/** Runs `fn`, asserts it throws a ConfigError, and returns it. */
export function catchConfigError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a ConfigError, nothing was thrown');
}
