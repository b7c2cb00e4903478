import type { Logger } from '../../kernel';

/** A logger that keeps every line as `LEVEL message`, shared by unit and integration tests. */
export class MemoryLogger implements Logger {
  constructor(
    readonly name = 'circus',
    readonly lines: string[] = [],
  ) {}
  debug(m: string): void {
    this.lines.push(`DEBUG ${m}`);
  }
  info(m: string): void {
    this.lines.push(`INFO ${m}`);
  }
  warning(m: string): void {
    this.lines.push(`WARNING ${m}`);
  }
  error(m: string): void {
    this.lines.push(`ERROR ${m}`);
  }
  critical(m: string): void {
    this.lines.push(`CRITICAL ${m}`);
  }
  child(name: string): Logger {
    return new MemoryLogger(name, this.lines);
  }
  has(fragment: string): boolean {
    return this.lines.some((l) => l.includes(fragment));
  }
  /** The lines at INFO and above. */
  get notices(): string[] {
    return this.lines.filter((l) => !l.startsWith('DEBUG '));
  }
}
