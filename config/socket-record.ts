/**
 * `[socket:NAME]` sections into records (spec/daemon.md 3.1, 1.9): every
 * value a substituted string, except `so_reuseport` and `replace`, which
 * are cast at load time. The rest is converted when the socket is created
 * (see construction-check.ts).
 */

import { setOwn } from './own';
import { toBool } from './cast';
import { EnvSubstituter } from './env';
import { IniDocument } from './ini-document';
import { ProblemSink } from './option-reader';
import type { SocketRecord } from './model';

/** A socket record before it is frozen into a {@link SocketRecord}. */
export type DraftSocket = Record<string, string | boolean> & { name: string };

/** Builds the record of one `[socket:…]` section (substituted against the global env). */
export function buildSocketRecord(
  doc: IniDocument,
  section: string,
  globalEnv: EnvSubstituter,
  sink: ProblemSink,
): DraftSocket {
  const rec: Record<string, string | boolean> = {};
  for (const [key, at] of doc.items(section)) setOwn(rec, key, globalEnv.apply(at.value));
  const parts = section.split('socket:');
  rec.name = parts[parts.length - 1].toLowerCase();
  for (const key of ['so_reuseport', 'replace']) {
    const at = doc.get(section, key);
    rec[key] = at === undefined ? false : sink.cast(at, section, key, globalEnv.apply(at.value), toBool, false);
  }
  return rec as DraftSocket;
}
