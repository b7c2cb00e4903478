/**
 * `[plugin:NAME]` sections into records (spec/daemon.md 6.1, 1.9): every
 * value a substituted string, `priority` an integer when present, and `use`
 * mandatory (Circus cannot start a plugin without it).
 */

import { setOwn } from './own';
import { toInt } from './cast';
import { EnvSubstituter } from './env';
import { IniDocument } from './ini-document';
import { ProblemSink } from './option-reader';
import type { PluginRecord } from './model';

/** A plugin record before it is frozen into a {@link PluginRecord}. */
export type DraftPlugin = Record<string, string | number> & { name: string };

/** Builds the record of one `[plugin:…]` section (substituted against the global env, never `[env:…]`). */
export function buildPluginRecord(
  doc: IniDocument,
  section: string,
  globalEnv: EnvSubstituter,
  sink: ProblemSink,
): DraftPlugin {
  const rec: Record<string, string | number> = {};
  for (const [key, at] of doc.items(section)) setOwn(rec, key, globalEnv.apply(at.value));
  rec.name = section;
  const prio = doc.get(section, 'priority');
  if (prio !== undefined) rec.priority = sink.cast(prio, section, 'priority', rec.priority as string, toInt, 1);
  if (!doc.hasOption(section, 'use')) {
    const header = doc.get(section, '__name__')!;
    sink.add(header, section, 'use', 'missing: every plugin section needs `use = <plugin class or module>`');
  } else if (String(rec.use).trim() === '') {
    sink.add(doc.get(section, 'use')!, section, 'use', 'is empty: name the plugin class or module to load');
  }
  return rec as DraftPlugin;
}
