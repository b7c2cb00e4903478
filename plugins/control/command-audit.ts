/**
 * The audit of the control endpoint (issue 9): every request of a command
 * that changes state is reported as an `audit.command` bus event with its
 * exact properties, who sent it and how it ended -- refused ones too. The
 * `audit` core plugin writes the events to the log and the audit file.
 */
import type { EventBus } from '../../kernel/index';
import { decodeRequest } from '../../protocol/codec';
import { boundKey, type CurveServerKeys } from '../../protocol/curve-server';

/** The commands that change state (issue 9); read-only ones are not audited. */
export const AUDITED_COMMANDS: ReadonlySet<string> = new Set([
  'add', 'rm', 'set', 'start', 'stop', 'restart', 'reload', 'reloadconfig', 'signal', 'kill', 'incr', 'decr', 'quit',
]);

/** The transport of a control endpoint, by its scheme. */
export type AuditTransport = 'tcp' | 'ipc' | 'inproc';

/** Who sent a request. */
export interface AuditWho {
  /** The CURVE key its routing id binds it to (`curve:<key>`, key authorized); absent otherwise. */
  readonly key?: string;
  /** The routing id in hex. */
  readonly routing_id: string;
  readonly transport: AuditTransport;
}

/** The `audit.command` event: one request of a state-changing command. */
export interface CommandAuditEvent {
  /** Unix epoch seconds when the request was received. */
  readonly time: number;
  /** The command name lower-cased (the registry key). */
  readonly command: string;
  /** `properties` exactly as sent (absent: `{}`); null when too deeply nested to re-encode (see `request`). */
  readonly properties: unknown;
  /**
   * The request body as received (UTF-8), only when its properties nest
   * deeper than {@link MAX_AUDIT_DEPTH}: JSON.stringify would overflow the
   * stack on them, and a command must not slip out of the audit that way.
   */
  readonly request?: string;
  readonly who: AuditWho;
  /**
   * `ok` or `error` from the reply; `cast` for a request sent as a cast,
   * whose outcome the endpoint never reports (no reply is sent).
   */
  readonly status: 'ok' | 'error' | 'cast';
  readonly errno?: number;
  readonly reason?: string;
}

declare module '../../kernel/events' {
  interface CircusEvents {
    /** A state-changing command reached the control endpoint (emitted with watcher `circusd`). */
    'audit.command': CommandAuditEvent;
  }
}

/** Nesting beyond which properties are recorded as the raw request text (JSON.stringify recurses). */
export const MAX_AUDIT_DEPTH = 256;

/** Whether a parsed JSON value nests deeper than `limit`; iterative, so any depth is safe to measure. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [v, depth] = item;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** The transport an endpoint URL uses (`tcp` for any network transport). */
export function transportOf(endpoint: string): AuditTransport {
  const scheme = /^([a-z]+):\/\//i.exec(endpoint.trim())?.[1]?.toLowerCase();
  return scheme === 'ipc' ? 'ipc' : scheme === 'inproc' ? 'inproc' : 'tcp';
}

/** The status, errno and reason of a reply body; `reply` is null when nothing was sent. */
function outcomeOf(cast: boolean, reply: Buffer | null): Pick<CommandAuditEvent, 'status' | 'errno' | 'reason'> {
  if (cast) return { status: 'cast' };
  // The endpoint dropped the request (a limit): it did not run.
  if (reply === null) return { status: 'error', reason: 'dropped without a reply' };
  let parsed: { status?: unknown; errno?: unknown; reason?: unknown };
  try {
    parsed = JSON.parse(reply.toString('utf8')) as typeof parsed;
  } catch {
    return { status: 'error', reason: 'unreadable reply' };
  }
  if (parsed.status === 'ok') return { status: 'ok' };
  return {
    status: 'error',
    ...(typeof parsed.errno === 'number' ? { errno: parsed.errno } : {}),
    ...(typeof parsed.reason === 'string' ? { reason: parsed.reason } : {}),
  };
}

/** Emits `audit.command` for the requests of one endpoint. */
export class CommandAudit {
  constructor(
    private readonly bus: EventBus,
    private readonly transport: AuditTransport,
    private readonly curve: CurveServerKeys | null,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  /**
   * Looks at a request before it is dispatched. Returns what to call with
   * its reply body (null when none is sent), or null when the request is
   * not audited (read-only or not a request at all).
   */
  begin(routingId: Buffer, body: Buffer): ((reply: Buffer | null) => void) | null {
    const request = decodeRequest(body);
    if (request.kind !== 'request' || !AUDITED_COMMANDS.has(request.name)) return null;
    const time = this.now();
    const key = boundKey(routingId, this.curve);
    const who: AuditWho = { ...(key !== null ? { key } : {}), routing_id: routingId.toString('hex'), transport: this.transport };
    const sent = request.properties === undefined ? {} : request.properties;
    const tooDeep = nestsDeeperThan(sent, MAX_AUDIT_DEPTH);
    const properties = tooDeep ? null : sent;
    const raw = tooDeep ? { request: body.toString('utf8') } : {};
    const command = request.name;
    const cast = request.cast;
    return (reply) => {
      this.bus.emit('audit.command', 'circusd', { time, command, properties, ...raw, who, ...outcomeOf(cast, reply) });
    };
  }
}
