/**
 * Which file a watcher's `cmd` runs, for the command reloader
 * (spec/daemon.md 6.12, quirk Q31 fixed): the first token of `cmd` after
 * `$(circus.env.*)` substitution, looked up the way the spawner does (a
 * path with a `/` from the working directory, a bare name on the watcher
 * env's PATH, `/bin:/usr/bin` without one), symlinks resolved. Circus
 * stats the whole `cmd` string instead, so `cmd = sleep 120` fails there.
 */
import { constants as fsConstants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { shlexSplit } from '../../kernel/index';

/** The executable of a watcher as last seen: its real path and modification time (ns). */
export interface CommandFile {
  readonly path: string;
  readonly mtimeNs: bigint;
}

/** What `get` tells about a watcher's command. */
export interface CommandSource {
  readonly cmd: string;
  readonly env: Readonly<Record<string, unknown>> | null;
  readonly workingDir: string;
}

/** The spawner's PATH when the watcher env has none. */
const DEFAULT_PATH = '/bin:/usr/bin';

/** `$(circus.env.X)` and `((circus.env.X))`, case-insensitive, unknown names left as they are. */
export function substituteEnv(cmd: string, env: Readonly<Record<string, unknown>>): string {
  const lower = new Map(Object.entries(env).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return cmd.replace(/\$\(circus\.env\.([\w.-]+)\)|\(\(circus\.env\.([\w.-]+)\)\)/gi, (whole, a?: string, b?: string) => {
    const value = lower.get((a ?? b ?? '').toLowerCase());
    return value === undefined ? whole : value;
  });
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    await access(file, fsConstants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The program file `cmd` names (not yet symlink-resolved); throws an Error saying why not. */
export async function programOf(source: CommandSource): Promise<string> {
  const env = source.env ?? {};
  let tokens: string[];
  try {
    tokens = shlexSplit(substituteEnv(source.cmd, env));
  } catch (err) {
    throw new Error(`cmd ${JSON.stringify(source.cmd)} cannot be split: ${err instanceof Error ? err.message : String(err)}`);
  }
  const program = tokens[0];
  if (!program) throw new Error('cmd is empty');
  if (program.includes('/')) return path.resolve(source.workingDir, program);
  const searchPath = typeof env.PATH === 'string' ? env.PATH : DEFAULT_PATH;
  for (const dir of searchPath.split(':')) {
    const candidate = path.join(path.resolve(source.workingDir, dir || '.'), program);
    if (await isExecutableFile(candidate)) return candidate;
  }
  throw new Error(`'${program}' is not found on PATH ${searchPath}`);
}

/** Locates the program of `source` and reads its real path and mtime; rejects when it cannot. */
export async function locateCommand(source: CommandSource): Promise<CommandFile> {
  const real = await realpath(await programOf(source));
  const info = await stat(real, { bigint: true });
  return { path: real, mtimeNs: info.mtimeNs };
}
