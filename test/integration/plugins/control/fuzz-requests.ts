/**
 * fast-check generators of hostile control requests for the property
 * test of the control endpoint (fuzz-control.test.ts).
 *
 * Two families:
 * - `defect`: a request to a command that changes state, made invalid on
 *   purpose by one defect the daemon must refuse before acting (properties
 *   not an object, a required property missing, `name` of the wrong type,
 *   an unknown watcher, a bad `options` entry, an unknown command), with
 *   noise around it (random `x_*` properties, `waiting`, random or missing
 *   id, cast or not, extra top-level keys, mixed-case command); read-only
 *   commands with random properties go the same way (any answer, but
 *   never a JS error);
 * - `raw`: anything at all on one frame (random bytes, random JSON, random
 *   text, huge strings within the size limit), multipart messages, and
 *   frames over the limit.
 */
import { constants } from 'node:os';
import fc from 'fast-check';

/** Commands that change state, with a valid request each (the defects are applied to these). */
export const TEMPLATES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  add: { name: 'fz-new', cmd: 'fz-cmd' },
  rm: { name: 'workers' },
  set: { name: 'workers', options: { numprocesses: 3 } },
  signal: { name: 'workers', signum: 15 },
  kill: { name: 'workers' },
  incr: { name: 'workers' },
  decr: { name: 'workers' },
  start: { name: 'workers' },
  stop: { name: 'workers' },
  restart: { name: 'workers' },
  reload: { name: 'workers' },
  reloadconfig: {},
  quit: {},
};

/** Commands that only read: any properties at all may go with them. */
export const READ_ONLY = [
  'list', 'status', 'options', 'get', 'stats', 'dstats', 'numprocesses', 'numwatchers', 'globaloptions',
  'listsockets', 'listen', 'ipython',
];

/** Every command circusd knows (lower case): a random command name must not be one of them. */
export const KNOWN = new Set([...Object.keys(TEMPLATES), ...READ_ONLY]);

/** Required properties (the registry's `properties`) of the state-changing commands. */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  add: ['name', 'cmd'], rm: ['name'], set: ['name', 'options'], signal: ['name', 'signum'], kill: ['name'], incr: ['name'], decr: ['name'],
};

/** Commands that look `name` up and answer an unknown one with an error (kill answers ok: a Circus quirk). */
const LOOKS_UP = ['rm', 'set', 'signal', 'kill', 'incr', 'decr', 'start', 'stop', 'restart', 'reload'];

/** Option keys `set`/`add` know (a random key must not be one of them). */
const OPTION_KEYS = new Set([
  'numprocesses', 'warmup_delay', 'working_dir', 'uid', 'gid', 'send_hup', 'stop_signal', 'stop_children', 'shell', 'env', 'cmd',
  'args', 'copy_env', 'retry_in', 'max_retry', 'graceful_timeout', 'stdout_stream', 'stderr_stream', 'max_age', 'max_age_variance',
  'respawn', 'singleton', 'hooks', 'close_child_stdin', 'close_child_stdout', 'close_child_stderr',
]);

/** One request of the `defect` family. */
export interface DefectRequest {
  readonly kind: 'defect';
  readonly defect: string;
  readonly body: Record<string, unknown>;
  readonly cast: boolean;
  /** The reply must be an error (false only where Circus answers ok and fails later, without acting). */
  readonly mustRefuse: boolean;
}

/** One message of the `raw` family. */
export type RawMessage =
  | { readonly kind: 'raw'; readonly what: string; readonly frame: Buffer }
  | { readonly kind: 'multipart'; readonly frames: readonly Buffer[] }
  | { readonly kind: 'oversize'; readonly extra: number };

export type FuzzItem = DefectRequest | RawMessage;

const noise = fc.jsonValue({ maxDepth: 2 });

/** A value that is not a string (for `name`). */
const notString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }));

/** A value that is not an object (for `properties` and `options`). */
const notObject = fc.oneof(fc.array(noise, { maxLength: 3 }), fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.double());

/** A watcher name that exists nowhere (no glob or regex metacharacter, so it matches nothing either). */
const unknownWatcher = fc.stringMatching(/^[a-z0-9]{1,12}$/).map((s) => `nx-${s}`);

/** An options entry `set`/`add` refuse: an unknown key, or a known integer key with a non-integer value. */
const badOption = fc.oneof(
  fc
    .string({ minLength: 1, maxLength: 20 })
    .filter((k) => !OPTION_KEYS.has(k) && !/^(rlimit_|hooks\.|stdout_stream\.|stderr_stream\.)/.test(k))
    .chain((k) => noise.map((v) => ({ [k]: v }))),
  fc.oneof(fc.string(), fc.constant(1.5), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 })).map((v) => ({ numprocesses: v })),
  fc.oneof(fc.string(), fc.integer(), fc.constant(null)).map((v) => ({ env: v })),
  notObject.map((v) => v as unknown),
);

/** A signum `signal`/`kill` refuse: a name no signal has, text that is no name, or a value of the wrong type. */
const SIGNALS = new Set([...Object.keys(constants.signals), 'SIGRTMIN', 'SIGRTMAX', 'SIGCLD']);
const badSignum = fc.oneof(
  fc.stringMatching(/^[A-Z]{3,8}$/).filter((n) => !SIGNALS.has(n) && !SIGNALS.has(`SIG${n}`)),
  fc.constantFrom('!', '-', ' ', '+1x', 'SIG'),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.constant(1.5),
);

/** A value that is not an integer, booleans included (for `nb`). */
const notInteger = fc.oneof(fc.string(), fc.constant(1.5), fc.constant(null), fc.boolean(), fc.array(fc.integer(), { maxLength: 2 }));

/** Defects close to a valid request: right watcher, one property the command refuses. */
function nearValid(command: string): fc.Arbitrary<[string, unknown, boolean]>[] {
  const t = TEMPLATES[command];
  switch (command) {
    case 'signal':
      return [
        badSignum.map((signum) => ['bad signum', { ...t, signum }, true]),
        fc.integer({ min: 1, max: 1 << 22 }).map((childpid) => ['childpid without pid', { ...t, childpid }, true]),
      ];
    case 'kill':
      return [
        badSignum.map((signum) => ['bad signum', { ...t, signum }, true]),
        fc.oneof(fc.stringMatching(/^[a-z]{1,6}$/), fc.constant(null), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 1 })).map((pid) => ['bad pid', { ...t, pid }, true]),
      ];
    case 'incr':
    case 'decr':
      return [notInteger.map((nb) => ['nb not an integer', { ...t, nb }, true])];
    case 'start':
    case 'stop':
    case 'restart':
      return [
        fc.string({ maxLength: 10 }).filter((m) => !['simple', 'glob', 'regex'].includes(m)).map((match) => ['unknown match', { ...t, match }, true]),
        fc.constantFrom('(', '[', '*', 'a{2,1}', '(?<', '\\').map((name) => ['bad regex', { name, match: 'regex' }, true]),
      ];
    case 'add':
      return [fc.mixedCase(fc.constantFrom('workers', 'other')).map((name) => ['duplicate name', { ...t, name }, true])];
    case 'set':
      return [fc.constant(['unknown uid', { ...t, options: { numprocesses: 3, uid: 'no-such-user-xyz' } }, true])];
    default:
      return [];
  }
}

/** The defects that apply to one command: [label, properties, mustRefuse]. */
function defectsOf(command: string): fc.Arbitrary<[string, unknown, boolean]> {
  const t = TEMPLATES[command];
  const options: fc.Arbitrary<[string, unknown, boolean]>[] = [notObject.map((p) => ['properties not an object', p, true])];
  const required = REQUIRED[command] ?? [];
  if (required.length > 0) {
    options.push(
      fc.constantFrom(...required).map((key) => {
        const p: Record<string, unknown> = { ...t };
        delete p[key];
        return [`missing ${key}`, p, true];
      }),
    );
  }
  if ('name' in t) options.push(notString.map((name) => ['name not a string', { ...t, name }, true]));
  if (LOOKS_UP.includes(command)) options.push(unknownWatcher.map((name) => ['unknown watcher', { ...t, name }, command !== 'kill']));
  if (command === 'set' || command === 'add') options.push(badOption.map((o) => ['bad options', { ...t, options: o }, true]));
  options.push(...nearValid(command));
  return fc.oneof(...options);
}

/** A state-changing command with one defect, in a noisy envelope. */
const stateChange: fc.Arbitrary<DefectRequest> = fc
  .constantFrom(...Object.keys(TEMPLATES))
  .chain((command) =>
    fc.record({
      command: fc.mixedCase(fc.constant(command)),
      defect: defectsOf(command),
      extra: fc.dictionary(fc.string({ maxLength: 8 }).map((k) => `x_${k}`), noise, { maxKeys: 3 }),
      waiting: fc.option(fc.boolean(), { nil: undefined }),
    }),
  )
  .chain(({ command, defect: [label, props, mustRefuse], extra, waiting }) => {
    let properties = props;
    if (typeof props === 'object' && props !== null && !Array.isArray(props)) {
      properties = { ...extra, ...(props as object), ...(waiting === undefined ? {} : { waiting }) };
    }
    return envelope({ command, properties }).map(({ body, cast }) => ({ kind: 'defect' as const, defect: label, body, cast, mustRefuse }));
  });

/** A command name that is not one of circusd's (any case). */
const unknownCommand: fc.Arbitrary<DefectRequest> = fc
  .oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }))
  .filter((name) => !KNOWN.has(name.toLowerCase()))
  .chain((command) => envelope({ command, properties: {} }))
  .map(({ body, cast }) => ({ kind: 'defect' as const, defect: 'unknown command', body, cast, mustRefuse: true }));

/** Property values a read-only command might read: right and wrong types, existing and unknown watchers. */
const queryValue = fc.oneof(noise, fc.constantFrom('workers', 'other', 'WORKERS', 'nx-1', '*', 'plugin:x', ''), fc.array(fc.constantFrom('numprocesses', 'cmd', 'nope', ''), { maxLength: 3 }));

/** A read-only command with random properties: any answer will do, but never a JS error. */
const query: fc.Arbitrary<DefectRequest> = fc
  .record({
    command: fc.mixedCase(fc.constantFrom(...READ_ONLY)),
    properties: fc.oneof(noise, fc.dictionary(fc.constantFrom('name', 'keys', 'extended', 'waiting', 'process', 'pid', 'match'), queryValue, { maxKeys: 4 })),
  })
  .chain(({ command, properties }) => envelope({ command, properties }))
  .map(({ body, cast }) => ({ kind: 'defect' as const, defect: 'read-only, random properties', body, cast, mustRefuse: false }));

/** id (string, integer or missing), cast or not (1 in 5), an extra top-level key sometimes. */
function envelope(core: { command: string; properties: unknown }): fc.Arbitrary<{ body: Record<string, unknown>; cast: boolean }> {
  return fc
    .record({
      id: fc.option(fc.oneof(fc.string({ maxLength: 40 }), fc.integer()), { nil: undefined }),
      cast: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      top: fc.option(fc.dictionary(fc.string({ maxLength: 6 }).map((k) => `y_${k}`), noise, { maxKeys: 2 }), { nil: undefined }),
    })
    .map(({ id, cast, top }) => {
      const body: Record<string, unknown> = { ...top, command: core.command, properties: core.properties };
      if (id !== undefined) body.id = id;
      if (cast) body.msg_type = 'cast';
      return { body, cast };
    });
}

const frame = (text: string): Buffer => Buffer.from(text, 'utf8');

/** A string of `count` repetitions of a short piece; at most 3 bytes a piece, so 300000 fit in 1 MiB. */
const huge = fc.tuple(fc.constantFrom('a', 'é', '中', 'x y'), fc.integer({ min: 10_000, max: 300_000 })).map(([piece, n]) => piece.repeat(n));

const rawOne: fc.Arbitrary<RawMessage> = fc.oneof(
  fc.uint8Array({ maxLength: 4096 }).map((b) => ({ kind: 'raw' as const, what: 'random bytes', frame: Buffer.from(b) })),
  fc.json({ maxDepth: 4 }).map((t) => ({ kind: 'raw' as const, what: 'random JSON', frame: frame(t) })),
  fc.string({ unit: 'binary', maxLength: 200 }).map((t) => ({ kind: 'raw' as const, what: 'random text', frame: frame(t) })),
  fc
    .tuple(fc.constantFrom('command', 'id', 'name', 'properties'), huge)
    .map(([where, text]) => {
      const body =
        where === 'command' ? { command: text } : where === 'id' ? { command: 'list', id: text } : where === 'name' ? { command: 'status', properties: { name: text } } : { command: 'stats', properties: { [text]: 1 } };
      return { kind: 'raw' as const, what: `huge ${where}`, frame: frame(JSON.stringify(body)) };
    }),
);

const rawMessage: fc.Arbitrary<RawMessage> = fc.oneof(
  { arbitrary: rawOne, weight: 10 },
  { arbitrary: fc.array(fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)), { minLength: 2, maxLength: 4 }).map((frames) => ({ kind: 'multipart' as const, frames })), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 1000 }).map((extra) => ({ kind: 'oversize' as const, extra })), weight: 1 },
);

/** One batch: up to 10 items of both families. */
export const batch: fc.Arbitrary<FuzzItem[]> = fc.array(
  fc.oneof({ arbitrary: stateChange, weight: 5 }, { arbitrary: unknownCommand, weight: 1 }, { arbitrary: query, weight: 2 }, { arbitrary: rawMessage, weight: 4 }),
  { minLength: 1, maxLength: 10 },
);
