/**
 * The log lines of the audit. Everything a client chose (properties,
 * reasons echoing its request) is JSON-encoded, so a property holding a
 * newline cannot forge a second log line.
 */
import type { CircusEvents } from '../../kernel/index';

type ZapEvent = CircusEvents['audit.zap'];
type CommandEvent = CircusEvents['audit.command'];

/** `zap refused key <K> from 10.0.0.7 (CURVE, domain circus): key not authorized`. */
export function zapLine(e: ZapEvent): string {
  const verdict = e.allowed ? 'allowed' : 'refused';
  return `zap ${verdict} key ${e.key ?? '(none)'} from ${e.address || '(local)'} (${e.mechanism}, domain ${JSON.stringify(e.domain)}): ${e.reason}`;
}

/** Who sent a command, as the log says it: the bound key, or the transport and routing id. */
export function whoText(who: CommandEvent['who']): string {
  return who.key !== undefined ? `curve:${who.key} (${who.transport})` : `${who.transport} routing id ${who.routing_id}`;
}

/** `command stop by tcp routing id 0080...: ok properties {"name":"web"}`. */
export function commandLine(e: CommandEvent): string {
  const outcome = e.status === 'error' ? `error${e.errno !== undefined ? ` ${e.errno}` : ''}` : e.status;
  const reason = e.reason !== undefined ? ` reason ${JSON.stringify(e.reason)}` : '';
  const what = e.request !== undefined ? `request ${JSON.stringify(e.request)}` : `properties ${JSON.stringify(e.properties)}`;
  return `command ${e.command} by ${whoText(e.who)}: ${outcome} ${what}${reason}`;
}
