/**
 * A private tmux server (its own -L socket) with one 120x40 pane running a
 * plain shell: how the circus-top tests use a real terminal.
 */
import { execFileSync } from 'node:child_process';

/** A private tmux server with one 120x40 pane running a plain shell. */
export class TmuxPane {
  readonly socket = `circus-top-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor() {
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-x', '120', '-y', '40', '-s', 'top', 'env', 'PS1=$ ', 'bash', '--norc', '--noprofile');
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', timeout: 10_000 });
  }

  /** Types `keys` then Enter. */
  type(line: string): void {
    this.tmux('send-keys', '-t', 'top', '-l', line);
    this.tmux('send-keys', '-t', 'top', 'Enter');
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'top');
  }

  /** A pane variable such as `alternate_on`. */
  variable(name: string): string {
    return this.tmux('display-message', '-p', '-t', 'top', `#{${name}}`).trim();
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone (the test killed it, or it never started).
    }
  }
}
