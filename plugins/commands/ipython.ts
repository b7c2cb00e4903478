import { answered, type CommandDefinition } from '../../kernel';

/**
 * `ipython` (spec 2.7): Circus starts an IPython kernel inside circusd;
 * there is none in Node, so it answers as Circus does when the import
 * fails: `shell` false and the reason in `msg`.
 */
export function ipythonCommand(): CommandDefinition {
  return {
    name: 'ipython',
    properties: [],
    readsProperties: false,
    execute: async () => answered({ shell: false, msg: 'not supported' }),
  };
}
