/**
 * Typed access to section options that records, instead of throwing, every
 * value that cannot be cast, so one load reports all of them (1.10).
 */

import { CastError } from './cast';
import { ConfigProblem } from './errors';
import { IniValue } from './ini-document';

/** Collects located problems while records are built. */
export class ProblemSink {
  readonly problems: ConfigProblem[] = [];

  add(at: IniValue, section: string, key: string, message: string): void {
    this.problems.push({ file: at.file, line: at.line, section, key, message });
  }

  /**
   * Runs `cast` on `text` (the value of `key`, possibly substituted) and
   * returns its result, or `fallback` after recording the problem.
   */
  cast<T>(at: IniValue, section: string, key: string, text: string, cast: (s: string) => T, fallback: T): T {
    try {
      return cast(text);
    } catch (err) {
      if (!(err instanceof CastError)) throw err;
      this.add(at, section, key, err.message);
      return fallback;
    }
  }
}
