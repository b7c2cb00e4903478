/**
 * The terminal side of circus-top, through terminal-kit: the alternate
 * screen, a hidden cursor and raw keys while it runs, and all of that
 * undone on close so the shell gets its terminal back as it was.
 */
import type { Terminal } from 'terminal-kit';

/** A full-screen, read-only text view. */
export class TopScreen {
  private open = false;

  constructor(private readonly term: Terminal) {}

  /** Enters the alternate screen and calls `onQuit` on q, Q, Ctrl-C or Escape. */
  start(onQuit: () => void): void {
    this.open = true;
    this.term.fullscreen(true);
    this.term.hideCursor(true);
    this.term.grabInput(true);
    this.term.on('key', (name: string) => {
      if (name === 'q' || name === 'Q' || name === 'CTRL_C' || name === 'ESCAPE') onQuit();
    });
  }

  /** Repaints the whole screen with `lines`, cut to the terminal's size. */
  draw(lines: readonly string[]): void {
    if (!this.open) return;
    const width = Math.max(1, this.term.width);
    const height = Math.max(1, this.term.height);
    for (let row = 0; row < height; row += 1) {
      this.term.moveTo(1, row + 1);
      this.term.eraseLine();
      const text = lines[row];
      // noFormat: watcher names and addresses are data, not terminal-kit markup.
      if (text !== undefined && text !== '') this.term.noFormat(text.slice(0, width));
    }
  }

  /** Gives the terminal back: input mode, cursor, main screen. Safe to call twice. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.term.grabInput(false);
    this.term.hideCursor(false);
    this.term.styleReset();
    this.term.fullscreen(false);
  }
}
