import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

function siteDir(venv: string, pyVer: string | null): string {
  const lib = path.join(venv, 'lib');
  if (pyVer !== null) {
    for (const flavour of ['python', 'pypy']) {
      const dir = path.join(lib, `${flavour}${pyVer}`, 'site-packages');
      if (existsSync(dir)) return dir;
    }
    throw new Error(`the following virtualenv does not exist or has no site-packages for ${pyVer}: ${venv}`);
  }
  // No host Python to ask for its version: take the greatest python*/pypy* dir
  // that has a site-packages (documented in docs/kernel.md).
  let names: string[] = [];
  try {
    names = readdirSync(lib).filter((n) => /^(python|pypy)/.test(n)).sort();
  } catch {
    names = [];
  }
  for (const n of names.reverse()) {
    const dir = path.join(lib, n, 'site-packages');
    if (existsSync(dir)) return dir;
  }
  throw new Error(`the following virtualenv does not exist: ${venv}`);
}

/** Applies spec/daemon.md 2.2 step 3 (PATH and PYTHONPATH of a virtualenv). */
export function applyVirtualenv(env: Record<string, string>, venv: string, pyVer: string | null): Record<string, string> {
  const out = { ...env };
  const site = siteDir(venv, pyVer);
  const bin = path.join(venv, 'bin');
  if (existsSync(bin)) out.PATH = `${bin}:${out.PATH ?? ''}`;
  const pth: string[] = [];
  for (const file of readdirSync(site).filter((n) => n.endsWith('.pth')).sort()) {
    for (const line of readFileSync(path.join(site, file), 'utf8').split('\n')) {
      const entry = line.trim();
      if (!entry || entry.startsWith('#') || entry.startsWith('import')) continue;
      const full = path.normalize(path.join(site, entry));
      if (existsSync(full)) pth.push(full);
    }
  }
  const existing = out.PYTHONPATH;
  if (pth.length > 0) {
    const parts = existing ? [...pth, existing] : pth;
    if (!parts.includes(site)) parts.push(site);
    out.PYTHONPATH = parts.join(':');
  } else {
    out.PYTHONPATH = existing ? `${existing}:${site}` : site;
  }
  return out;
}
