/** circus-ts's own version, read from the package.json of the installation. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Walks up from this file to the nearest package.json (the source tree and
 * the build/ output sit at different depths) and returns its `version`.
 */
export function packageVersion(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { version?: unknown };
      if (typeof pkg.version === 'string') return pkg.version;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return '0.0.0';
    dir = parent;
  }
}
