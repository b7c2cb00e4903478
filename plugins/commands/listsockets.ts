import { answered, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';

/** `listsockets` (spec 2.11): the circus sockets sorted by fd, as children inherit them. */
export function listsocketsCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'listsockets',
    properties: [],
    readsProperties: false,
    execute: async () => {
      const sockets = d.arbiter.sockets
        .list()
        .sort((a, b) => a.fd - b.fd)
        .map((s) =>
          s.path !== null
            ? { fd: s.fd, name: s.name, backlog: s.backlog, path: s.path }
            : { fd: s.fd, name: s.name, backlog: s.backlog, host: s.host, port: s.port },
        );
      return answered({ sockets });
    },
  };
}
