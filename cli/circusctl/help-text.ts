/**
 * circusctl's fixed texts: version, usage, `--help`, and the argparse-style
 * help of each sub-command (`circusctl <cmd> -h`), laid out the way Python's
 * argparse HelpFormatter does so the output matches Circus's.
 */
import type { CtlCommand } from './command';

/** The usage of the top-level parser. */
export const USAGE = 'circusctl [options] command [args]';
/** `circusctl --version`. */
export const VERSION = 'circusctl 0.19.0';

/** The options part of `circusctl --help` (argparse's layout, 78 columns). */
const OPTIONS_HELP = `options:
  --client-key CLIENT_KEY
                        CURVE: this client's key pair, a .key_secret file (or
                        $CIRCUS_CLIENT_KEY)
  --endpoint ENDPOINT   connection endpoint
  --help                Show help and exit
  --json                output to JSON
  --prettify            prettify output
  --server-key SERVER_KEY
                        CURVE: the server's public key, a .key file or Z85
                        text (or $CIRCUS_SERVER_KEY)
  --ssh SSH             SSH Server in the format user@host:port
  --ssh_keyfile SSH_KEYFILE
                        the path to the keyfile to authorise the user
  --timeout TIMEOUT     connection timeout
  --version             display version and exit
`;

/** `circusctl --help`: usage, description, the commands with their summaries, the options. */
export function globalHelp(commands: Iterable<CtlCommand>): string {
  const sorted = [...commands].sort((a, b) => (a.name < b.name ? -1 : 1));
  const all = [...sorted.map((s) => s.name), '--ssh_keyfile SSH_KEYFILE'];
  const lines = sorted.map((c) => formatItem(c.name, c.summary, all));
  return `usage: ${USAGE}\n\nControls a Circus daemon\n\nCommands:\n${lines.join('')}\n${OPTIONS_HELP}`;
}

function terminalWidth(): number {
  const env = Number(process.env.COLUMNS);
  const cols = Number.isInteger(env) && env > 0 ? env : 80;
  return cols - 2;
}

const MAX_HELP_POSITION = 24;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** One argparse help item: invocation padded to the help column, then the wrapped help. */
function formatItem(invocation: string, help: string, all: readonly string[]): string {
  const width = terminalWidth();
  const maxLen = Math.max(...all.map((s) => s.length + 2));
  const helpPosition = Math.min(maxLen + 2, MAX_HELP_POSITION);
  const helpWidth = Math.max(width - helpPosition, 11);
  const actionWidth = helpPosition - 2 - 2;
  const helpLines = wrap(help, helpWidth);
  let out: string;
  if (invocation.length <= actionWidth) out = `  ${invocation.padEnd(actionWidth)}  ${helpLines[0] ?? ''}\n`;
  else out = `  ${invocation}\n${' '.repeat(helpPosition)}${helpLines[0] ?? ''}\n`;
  for (const l of helpLines.slice(1)) out += `${' '.repeat(helpPosition)}${l}\n`;
  return out;
}

function invocations(command: CtlCommand): string[] {
  return ['-h, --help', ...command.switches.map((s) => (s.kind === 'flag' ? `--${s.name}` : `--${s.name} ${s.name.toUpperCase()}`))];
}

/** The usage of a sub-command (without `usage: `), wrapped as argparse wraps it. */
export function subUsage(command: CtlCommand): string {
  const prog = `${USAGE} ${command.name}`;
  const parts = ['[-h]', ...command.switches.map((s) => (s.kind === 'flag' ? `[--${s.name}]` : `[--${s.name} ${s.name.toUpperCase()}]`))];
  const width = terminalWidth();
  const prefix = 'usage: ';
  const full = `${prog} ${parts.join(' ')}`;
  if (prefix.length + full.length <= width) return full;
  // argparse: continuation lines are indented under the first option part.
  const indent = ' '.repeat(prefix.length + prog.length + 1);
  const lines: string[] = [];
  let line: string[] = [];
  let lineLen = prefix.length - 1;
  for (const part of [prog, ...parts]) {
    if (lineLen + 1 + part.length > width && line.length > 0) {
      lines.push(indent + line.join(' '));
      line = [];
      lineLen = indent.length - 1;
    }
    line.push(part);
    lineLen += part.length + 1;
  }
  if (line.length > 0) lines.push(indent + line.join(' '));
  lines[0] = lines[0].slice(indent.length);
  return lines.join('\n');
}

/** `circusctl <cmd> -h`: argparse's sub-command help. */
export function subHelp(command: CtlCommand): string {
  const inv = invocations(command);
  const helps = ['show this help message and exit', ...command.switches.map((s) => s.help)];
  const items = inv.map((v, k) => formatItem(v, helps[k], inv)).join('');
  return `usage: ${subUsage(command)}\n\noptions:\n${items}`;
}
