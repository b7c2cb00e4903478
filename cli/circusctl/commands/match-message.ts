/** Properties of start, stop and restart: `{name?, waiting, match}` (spec/protocol.md 2.18). */
import type { SwitchValues } from '../command';

/** `{"name"?, "waiting": bool, "match": "<value, default glob>"}`. */
export function matchMessage(args: readonly string[], opts: SwitchValues): Record<string, unknown> {
  const rest = { waiting: opts.waiting === true, match: opts.match ?? 'glob' };
  return args.length >= 1 ? { name: args[0], ...rest } : rest;
}

/** The shared documentation body of start, stop and restart. */
export function matchDoc(verb: string, what: string): string {
  return `
${what}

ZMQ message: {"command": "${verb}", "properties": {"name": "<name>", "waiting": false,
"match": "[simple|glob|regex]"}} ("name" is optional: without it, every watcher).

With waiting false (default) the reply comes at once; with waiting true it
comes when the work is done, which can take up to graceful_timeout.
"match" is simple (exact name), glob (wildcards, the default) or regex.

Command line:

    $ circusctl ${verb} [name] [--waiting] [--match=simple|glob|regex]

- <name>: name or pattern of the watcher(s)
- --match: watcher match method`;
}
