/**
 * The interactive shell (spec/protocol.md 3.4), following Python's
 * cmd.Cmd as Circus uses it: prompt `(circusctl) `, one command per line
 * split with shell quoting, `help`, `help <cmd>`, `EOF`/Ctrl-D, an empty line
 * repeating the last command, `*** Unknown syntax: <line>`. On a terminal,
 * node:readline adds line editing, history and Tab completion.
 */
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { shlexSplit } from '../../kernel/index';
import { columnize } from './columnize';
import type { CtlCommand } from './command';

/** What the shell needs from the rest of circusctl. */
export interface ShellDeps {
  readonly input: Readable;
  readonly output: Writable;
  /** Whether input is a terminal (line editing, completion, history). */
  readonly terminal: boolean;
  readonly commands: ReadonlyMap<string, CtlCommand>;
  /** Runs `<name> <words...>` like a one-shot invocation; a number means "leave circusctl with it". */
  execute(words: string[]): Promise<number | undefined>;
  /** Watcher names for completion (`list`); failures give none. */
  watchers(): Promise<string[]>;
  /** History file (terminal only); undefined = no history. */
  readonly historyFile?: string;
  /** Ctrl-C outside a terminal (SIGINT). */
  readonly interrupt: AbortSignal;
}

const PROMPT = '(circusctl) ';
const IDENT = /^[A-Za-z0-9_]*/;
const HISTORY_SIZE = 1000;

/** `help` without a topic: Python cmd's listing. */
export function helpListing(commands: Iterable<string>): string {
  const documented = [...commands, 'help'].sort();
  const header = 'Documented commands (type help <topic>):';
  const undoc = 'Undocumented commands:';
  return `\n${header}\n${'='.repeat(header.length)}\n${columnize(documented, 79)}\n${undoc}\n${'='.repeat(undoc.length)}\n${columnize(['EOF'], 79)}\n`;
}

function loadHistory(file: string | undefined): string[] {
  if (file === undefined) return [];
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).reverse().slice(0, HISTORY_SIZE);
  } catch {
    // No history yet: start empty.
    return [];
  }
}

function saveHistory(file: string | undefined, history: readonly string[], write: (s: string) => void): void {
  if (file === undefined) return;
  try {
    fs.writeFileSync(file, `${[...history].slice(0, HISTORY_SIZE).reverse().join('\n')}\n`, { mode: 0o600 });
  } catch (error) {
    write(`circusctl: cannot save the history to ${file}: ${(error as Error).message}\n`);
  }
}

/** Runs the shell until EOF / Ctrl-C / a usage error; returns the exit status. */
export async function runShell(deps: ShellDeps): Promise<number> {
  const names = [...deps.commands.keys()];
  const completer = (line: string, callback: (err: null, result: [string[], string]) => void): void => {
    const words = line.split(/\s+/);
    const current = words[words.length - 1];
    if (words.length <= 1) {
      const hits = [...names, 'help', 'EOF'].filter((n) => n.startsWith(current)).sort();
      callback(null, [hits.map((h) => `${h} `), current]);
      return;
    }
    const head = words[0];
    if (head === 'help') {
      callback(null, [[...names].filter((n) => n.startsWith(current)).sort(), current]);
      return;
    }
    deps.watchers().then(
      (ws) => callback(null, [ws.filter((w) => w.startsWith(current)), current]),
      () => callback(null, [[], current]),
    );
  };
  const rl = readline.createInterface({
    input: deps.input,
    output: deps.terminal ? deps.output : undefined,
    terminal: deps.terminal,
    completer: deps.terminal ? completer : undefined,
    history: deps.terminal ? loadHistory(deps.historyFile) : [],
    historySize: HISTORY_SIZE,
  });
  const write = (s: string): void => {
    deps.output.write(s);
  };
  const lines = rl[Symbol.asyncIterator]();
  let stopReason: 'eof' | 'interrupt' | number = 'eof';
  const interrupted = new Promise<'interrupt'>((resolve) => {
    rl.on('SIGINT', () => resolve('interrupt'));
    if (deps.interrupt.aborted) resolve('interrupt');
    deps.interrupt.addEventListener('abort', () => resolve('interrupt'), { once: true });
  });
  let lastcmd = '';
  const onecmd = async (raw: string): Promise<'stop' | number | undefined> => {
    let line = raw.trim();
    if (line === '') {
      if (lastcmd === '') return undefined;
      line = lastcmd;
    }
    if (line.startsWith('?')) line = `help ${line.slice(1)}`;
    if (line === 'EOF') {
      lastcmd = '';
      return 'stop';
    }
    const cmd = line.startsWith('!') ? '' : (IDENT.exec(line) as RegExpExecArray)[0];
    const arg = line.slice(cmd.length).trim();
    lastcmd = line;
    if (cmd === 'EOF') return 'stop';
    if (cmd === 'help') {
      if (arg === '') write(helpListing(names));
      else {
        const command = deps.commands.get(arg);
        write(command ? `${command.doc}\n` : `*** No help on ${arg}\n`);
      }
      return undefined;
    }
    const command = cmd === '' ? undefined : deps.commands.get(cmd);
    if (command === undefined) {
      write(`*** Unknown syntax: ${line}\n`);
      return undefined;
    }
    return deps.execute([cmd, ...shlexSplit(arg)]);
  };
  try {
    for (;;) {
      if (deps.terminal) {
        rl.setPrompt(PROMPT);
        rl.prompt();
      } else write(PROMPT);
      const next = await Promise.race([lines.next(), interrupted]);
      if (next === 'interrupt') {
        stopReason = 'interrupt';
        break;
      }
      if (next.done) break;
      const result = await Promise.race([onecmd(next.value), interrupted]);
      if (result === 'interrupt') {
        stopReason = 'interrupt';
        break;
      }
      if (result === 'stop') break;
      if (typeof result === 'number') {
        stopReason = result;
        break;
      }
    }
  } finally {
    if (deps.terminal) saveHistory(deps.historyFile, (rl as unknown as { history: string[] }).history, write);
    rl.close();
  }
  if (typeof stopReason === 'number') return stopReason;
  // cmd's postloop (EOF) and Circus's KeyboardInterrupt handler both print a newline.
  write('\n');
  return 0;
}
