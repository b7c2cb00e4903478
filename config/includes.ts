/**
 * `include` and `include_dir` of `[circus]` (spec/daemon.md 1.3): which
 * files to read after the main one, in which order.
 */

import { EnvSubstituter } from './env';
import { glob, pyJoin } from './glob';
import { IniDocument } from './ini-document';

/** The include files to read, in order, and a warning per pattern that matched nothing. */
export interface IncludePlan {
  readonly files: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * Expands the include patterns found in `doc` (which must hold only the main
 * file at this point, so included files cannot include further). Values get
 * `$(circus.env.*)` substitution against the process env only.
 */
export function planIncludes(doc: IniDocument, mainPath: string, processEnv: EnvSubstituter): IncludePlan {
  const read = (key: string): string[] => {
    const v = doc.hasOption('circus', key) ? doc.get('circus', key)?.value ?? '' : '';
    return processEnv.apply(v).split(/\s+/).filter((s) => s !== '');
  };
  const mainDir = pyDirname(mainPath);
  const patterns = [...read('include'), ...read('include_dir').map((d) => pyJoin(d, '*.ini'))];
  const files: string[] = [];
  const warnings: string[] = [];
  for (const pattern of patterns) {
    const full = pyJoin(mainDir, pattern);
    const matches = glob(full);
    if (matches.length === 0) {
      warnings.push(
        `${mainPath}: include pattern '${pattern}' does not lead to any config file ` +
          `(include paths are relative to the directory of the main config file)`,
      );
    }
    files.push(...matches);
  }
  return { files, warnings };
}

function pyDirname(p: string): string {
  const cut = p.lastIndexOf('/') + 1;
  const head = p.slice(0, cut);
  return head && !/^\/+$/.test(head) ? head.replace(/\/+$/, '') : head;
}
