import { strftime } from '../util/strftime';

/** `<strftime(format, local time)> [<pid>] | ` of spec/daemon.md 4.3. */
export function timePrefix(format: string, nowMs: number, pid: number): string {
  return `${strftime(format, new Date(nowMs))} [${pid}] | `;
}

/**
 * The file-stream text for one chunk. Without a time format the text is
 * written unchanged, so a line split across chunks stays contiguous. With
 * one, trailing newlines are dropped, every line (inner empty ones too) gets
 * the prefix and the chunk ends with one newline, even mid-line.
 */
export function formatChunk(text: string, timeFormat: string | null, nowMs: number, pid: number): string {
  if (timeFormat === null) return text;
  const prefix = timePrefix(timeFormat, nowMs, pid);
  return prefix + text.replace(/\n+$/, '').split('\n').join('\n' + prefix) + '\n';
}
