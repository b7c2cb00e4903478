import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { HookWatcherView } from '../../../../kernel';

/** The repository root: the first ancestor of this file holding package.json. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test directory');
    dir = up;
  }
  return dir;
}

/** Absolute path of a hook fixture under test/fixtures/hooks. */
export function hookFixture(name: string): string {
  return path.join(repoRoot(), 'test/fixtures/hooks', name);
}

/** A minimal watcher facade for runner tests. */
export function fakeWatcherView(name = 'w'): HookWatcherView {
  const env: Record<string, string> = {};
  return {
    name,
    status: 'active',
    numprocesses: 1,
    priority: 0,
    autostart: true,
    pids: [],
    processes: [],
    options: () => {
      throw new Error('not used');
    },
    env,
  };
}

export { MemoryLogger } from '../../../support/memory-logger';
