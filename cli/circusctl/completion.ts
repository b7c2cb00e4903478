/**
 * Bash completion (spec/protocol.md 3.4): with AUTO_COMPLETE set, circusctl
 * prints the command names matching the word being completed and exits 1,
 * reading COMP_WORDS / COMP_CWORD as Circus does.
 */

/** The completion output (with newline), or undefined when AUTO_COMPLETE is not set. */
export function autocomplete(env: NodeJS.ProcessEnv, names: readonly string[]): string | undefined {
  if (!('AUTO_COMPLETE' in env)) return undefined;
  const words = (env.COMP_WORDS ?? '').split(/\s+/).filter(Boolean).slice(1);
  const cword = Number.parseInt(env.COMP_CWORD ?? '0', 10) || 0;
  // Python indexing: words[cword - 1], negative indexes count from the end.
  const index = cword - 1 < 0 ? words.length + cword - 1 : cword - 1;
  const curr = words[index] ?? '';
  if (cword !== 1) return '';
  return `${[...names].filter((n) => n.startsWith(curr)).sort().join(' ')}\n`;
}
