/**
 * The loading pipeline of spec/daemon.md 1.1: main file, includes, `[env]`,
 * `[circus]`, records, `[env:PATTERNS]`, watcher substitution, then a
 * sorted, deeply frozen {@link CircusConfig}. Synchronous: it runs once at
 * start-up and on `reloadconfig`, before anything else can happen.
 */

import * as fs from 'fs';
import { readCircusOptions } from './circus-options';
import { EnvMap, EnvSubstituter, envFromRecord, envToRecord } from './env';
import { ConfigError, ConfigProblem } from './errors';
import { compareCodePoints, fnmatch } from './glob';
import { planIncludes } from './includes';
import { IniDocument } from './ini-document';
import { parseIniInto } from './ini-parser';
import { CircusConfig, PluginRecord, SocketRecord, WatcherRecord } from './model';
import { ProblemSink } from './option-reader';
import { buildPluginRecord, DraftPlugin } from './plugin-record';
import { buildSocketRecord, DraftSocket } from './socket-record';
import { buildWatcherDraft, DraftWatcher, expandWatcherStrings, sectionHasOptions } from './watcher-record';

/** Options of {@link loadConfig}. */
export interface LoadOptions {
  /** The circusd process env used for substitution and `copy_env` (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What {@link loadConfig} returns. */
export interface LoadResult {
  readonly config: CircusConfig;
  /** Non-fatal findings: include patterns without matches, unreadable includes, quirk notices. */
  readonly warnings: readonly string[];
  /** Every file actually read, the main file first. */
  readonly files: readonly string[];
}

/**
 * Loads a Circus INI configuration into the normalized model (1.9).
 * Throws {@link ConfigError}: `CONFIG_NOT_FOUND` when the main file cannot be
 * read, `CONFIG_INVALID` listing every syntax and cast error of all files.
 * Problems Circus only meets when it builds watchers and sockets are not
 * checked here: see `checkConstruction`.
 */
export function loadConfig(configPath: string, opts: LoadOptions = {}): LoadResult {
  const processEnv = envFromRecord(opts.env ?? process.env);
  const warnings: string[] = [];
  const problems: ConfigProblem[] = [];
  const doc = new IniDocument();

  const main = readText(configPath);
  if ('error' in main) {
    const message = main.code === 'ENOENT' ? 'the configuration file does not exist' : `cannot read the configuration file: ${main.error}`;
    throw new ConfigError('CONFIG_NOT_FOUND', [{ file: configPath, message }]);
  }
  if (main.text === null) problems.push({ file: configPath, message: 'is not valid UTF-8 text' });
  else problems.push(...parseIniInto(doc, main.text, configPath));
  const files = [configPath];

  const plan = planIncludes(doc, configPath, new EnvSubstituter(processEnv));
  warnings.push(...plan.warnings);
  for (const file of plan.files) {
    const inc = readText(file);
    if ('error' in inc) {
      // Circus skips unreadable includes silently; we say so.
      warnings.push(`${file}: included file skipped, it cannot be read (${inc.error})`);
      continue;
    }
    if (inc.text === null) problems.push({ file, message: 'is not valid UTF-8 text' });
    else problems.push(...parseIniInto(doc, inc.text, file));
    files.push(file);
  }

  const sink = new ProblemSink();
  const { localEnv, globalEnv } = buildGlobalEnv(doc, processEnv);
  const globalSub = new EnvSubstituter(globalEnv);
  const circus = readCircusOptions(doc, globalSub, sink, warnings);

  const watchers: DraftWatcher[] = [];
  const sockets: DraftSocket[] = [];
  const plugins: DraftPlugin[] = [];
  for (const section of doc.sections()) {
    if (!sectionHasOptions(doc, section)) continue;
    if (section.startsWith('socket:')) sockets.push(buildSocketRecord(doc, section, globalSub, sink));
    if (section.startsWith('plugin:')) plugins.push(buildPluginRecord(doc, section, globalSub, sink));
    if (section.startsWith('watcher:')) {
      const w = buildWatcherDraft(doc, section, globalSub, sink);
      watchers.push(w);
    }
  }

  const watcherEnvs = new Map<DraftWatcher, EnvMap>();
  for (const w of watchers) watcherEnvs.set(w, new Map(w.copy_env ? globalEnv : localEnv));
  applyEnvSections(doc, watchers, watcherEnvs);
  for (const w of watchers) {
    const env = watcherEnvs.get(w)!;
    const lookupEnv = new Map(globalEnv);
    for (const [k, v] of env) lookupEnv.set(k, v);
    expandWatcherStrings(w, new EnvSubstituter(lookupEnv));
    w.env = envToRecord(env);
  }

  problems.push(...sink.problems);
  if (problems.length > 0) throw new ConfigError('CONFIG_INVALID', inReadingOrder(problems, files));

  const byName = (a: { name: string }, b: { name: string }): number => compareCodePoints(a.name, b.name);
  const config: CircusConfig = {
    ...circus,
    watchers: watchers.sort(byName) as unknown as WatcherRecord[],
    plugins: plugins.sort(byName) as unknown as PluginRecord[],
    sockets: sockets.sort(byName) as unknown as SocketRecord[],
  };
  return { config: deepFreeze(config), warnings, files };
}

/** Problems sorted by file (in the order read) then line, so a user can walk the file top-down. */
function inReadingOrder(problems: ConfigProblem[], files: readonly string[]): ConfigProblem[] {
  const rank = (p: ConfigProblem): number => {
    const i = files.indexOf(p.file);
    return i === -1 ? files.length : i;
  };
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || (a.p.line ?? 0) - (b.p.line ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}

/** The local env (`[env]` only) and the global env (process env overlaid with it), 1.8. */
function buildGlobalEnv(doc: IniDocument, processEnv: EnvMap): { localEnv: EnvMap; globalEnv: EnvMap } {
  const localEnv: EnvMap = new Map();
  const globalEnv: EnvMap = new Map(processEnv);
  if (doc.hasSection('env')) {
    const sub = new EnvSubstituter(processEnv);
    for (const [k, at] of doc.items('env')) localEnv.set(k, sub.apply(at.value));
    for (const [k, v] of localEnv) globalEnv.set(k, v);
  }
  return { localEnv, globalEnv };
}

/**
 * `[env:P1,P2]` sections in first-appearance order; each matching watcher's
 * env is overwritten with the raw values (no substitution, 1.6.2), including
 * the `__name__` pseudo-option (quirk of 2.2 step 5).
 */
function applyEnvSections(doc: IniDocument, watchers: DraftWatcher[], envs: Map<DraftWatcher, EnvMap>): void {
  for (const section of doc.sections()) {
    if (!section.startsWith('env:')) continue;
    const patterns = section.slice('env:'.length).split(',').map((p) => p.trim());
    const items = doc.items(section);
    for (const pattern of patterns) {
      for (const w of watchers) {
        if (!fnmatch(w.name, pattern)) continue;
        const env = envs.get(w)!;
        for (const [k, at] of items) env.set(k, at.value);
      }
    }
  }
}

type ReadOutcome = { text: string | null } | { error: string; code: string | undefined };

function readText(file: string): ReadOutcome {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { error: e.code ? `${e.code}: ${e.message.replace(/^\w+: /, '')}` : String(e.message), code: e.code };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { text: null };
  }
}

/** Object.freeze, all the way down. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
