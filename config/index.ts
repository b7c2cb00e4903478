/**
 * The public face of the config loader (spec/daemon.md section 1): load a
 * Circus INI file into the typed, frozen model, check what Circus would only
 * find while building watchers and sockets, and print the model as JSON.
 */

export { loadConfig, deepFreeze } from './loader';
export type { LoadOptions, LoadResult } from './loader';
export { ConfigError, formatProblem } from './errors';
export type { ConfigProblem, ConfigErrorCode } from './errors';
export { checkConstruction, findVirtualenvSiteDir } from './construction-check';
export type { ConstructionOptions, ConstructionReport } from './construction-check';
export { formatConfig, pythonJson } from './print';
export { CastError, toBool, toInt, toFloat } from './cast';
export { toSignum, signalName } from './signals';
export { parseIni, parseIniInto } from './ini-parser';
export { IniDocument, DEFAULT_SECTION, NAME_OPTION } from './ini-document';
export type { IniValue } from './ini-document';
export { fnmatch, glob } from './glob';
export { expandBashVars, buildChildEnv, envFromRecord } from './env';
export { resolveModuleSpec, loadResolvedExport, resolveCallable } from './module-resolver';
export type { ResolveContext, ResolvedModule, ResolveOutcome, LoadOutcome } from './module-resolver';
export { BUILTIN_STREAMS, builtinStreamClass, checkStream } from './stream-check';
export { SOCKET_FAMILIES, SOCKET_TYPES, protocolNumber, checkSocket } from './socket-check';
export {
  DEFAULT_ENDPOINT,
  DEFAULT_PUBSUB_ENDPOINT,
  DEFAULT_STATS_ENDPOINT,
  CIRCUS_MULTICAST_ENDPOINT,
  circusDefaults,
  isLoopbackHost,
  PASSWORD_HASH_PATTERN,
} from './circus-options';
export { watcherDefaults } from './watcher-record';
export type { CircusConfig, WatcherRecord, SocketRecord, PluginRecord, HookRecord } from './model';
export { replaceGnuArgs, buildLookup, replaceWithLookup } from './substitute';
export { pyStr, pyFloat, PyFloat, pyFloatRepr } from './python';
