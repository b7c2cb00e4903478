/**
 * uid -> user name from /etc/passwd, read once: the sampler asks for the
 * owner of every process every second, and a passwd lookup per pid would
 * cost more than the rest of the sample.
 */
import { readFileSync } from 'node:fs';

/** Caches /etc/passwd; an unknown uid is shown as its number, as psutil does. */
export class UserNames {
  private users: Map<number, string> | null = null;

  constructor(private readonly passwdFile = '/etc/passwd') {}

  /** The name of `uid` (its number when /etc/passwd does not list it or cannot be read). */
  name(uid: number): string {
    if (this.users === null) this.users = this.load();
    return this.users.get(uid) ?? String(uid);
  }

  private load(): Map<number, string> {
    const users = new Map<number, string>();
    let text = '';
    try {
      text = readFileSync(this.passwdFile, 'utf8');
    } catch {
      // Without a passwd file (a minimal container) numeric ids are the best names there are.
      return users;
    }
    for (const line of text.split('\n')) {
      const parts = line.split(':');
      if (parts.length > 2 && !users.has(Number(parts[2]))) users.set(Number(parts[2]), parts[0]);
    }
    return users;
  }
}
