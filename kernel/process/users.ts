import { readFile } from 'node:fs/promises';
import { SpawnError } from '../errors';

/** A resolved account: numeric ids plus the name initgroups needs. */
export interface ResolvedUser {
  readonly uid: number;
  /** Null for a numeric id without a passwd entry (no initgroups possible). */
  readonly name: string | null;
  readonly gid: number;
}


async function readDb(path: string): Promise<string[][]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(':'));
}

/**
 * Resolves a user name or numeric id through /etc/passwd, as Circus does with
 * pwd.getpwnam/getpwuid. A numeric id without an entry is accepted (as
 * Python does for setuid), with its own number as primary group.
 */
export async function resolveUser(spec: string, passwd = '/etc/passwd'): Promise<ResolvedUser> {
  const rows = await readDb(passwd);
  const numeric = /^\d+$/.test(spec.trim());
  const row = rows.find((r) => (numeric ? r[2] === spec.trim() : r[0] === spec));
  if (row) return { uid: Number(row[2]), name: row[0], gid: Number(row[3]) };
  if (numeric) return { uid: Number(spec), name: null, gid: Number(spec) };
  throw new SpawnError(`no such user: '${spec}'`);
}

/** Resolves a group name or numeric id through /etc/group. */
export async function resolveGroup(spec: string, group = '/etc/group'): Promise<number> {
  if (/^\d+$/.test(spec.trim())) return Number(spec);
  const rows = await readDb(group);
  const row = rows.find((r) => r[0] === spec);
  if (!row) throw new SpawnError(`no such group: '${spec}'`);
  return Number(row[2]);
}
