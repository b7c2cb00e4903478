import { ArgumentError, type CommandDefinition } from '../../kernel';

/**
 * `listen` (spec 2.10) is a client-side command: circusctl subscribes to the
 * pubsub endpoint itself. Circus still registers it on the control socket,
 * where it answers errno 3 telling the client to use pub/sub; we answer the
 * same rather than `unknown command`.
 */
export function listenCommand(): CommandDefinition {
  return {
    name: 'listen',
    properties: [],
    readsProperties: false,
    execute: async () => {
      throw new ArgumentError('invalid message. use a pub/sub socket');
    },
  };
}
