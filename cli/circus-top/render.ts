/**
 * circus-top's screen as text lines (spec/protocol.md 5.3), kept apart from
 * the terminal so the layout is unit-tested: title, dashes, then each
 * watcher with its process rows and aggregate, at Circus's columns.
 */
import type { WatcherView } from './stats-model';

/** Watchers circus-top never shows (5.3). */
const HIDDEN = new Set(['circusd-stats', 'circushttpd']);
/** At most this many process rows per watcher. */
const MAX_ROWS = 10;
const COLUMNS = [3, 28, 48, 68];

export const WAITING = '*** Waiting for data ***';

/** Puts texts at their columns on one line, as curses addstr at (line, col) does. */
function columns(cells: readonly (readonly [number, string])[]): string {
  let line = '';
  for (const [col, text] of cells) {
    line = line.length < col ? line.padEnd(col) : line.slice(0, col);
    line += text;
  }
  return line;
}

/** `%.2f` of a number, `N/A` (or whatever string Circus sent) otherwise. */
export function fixed2(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return value.toFixed(2);
  return typeof value === 'string' ? value : 'N/A';
}

function processLines(view: WatcherView): string[] {
  const lines = [columns([[COLUMNS[0], 'PID'], [COLUMNS[1], 'CPU (%)'], [COLUMNS[2], 'MEMORY (%)'], [COLUMNS[3], 'AGE (s)']])];
  const rows = view.rows.map((stat) => {
    const pid = String(stat.pid ?? '');
    const name = stat.name;
    return {
      pid: typeof name === 'string' && name !== '' ? `${pid} (${name})` : pid,
      cpu: fixed2(stat.cpu),
      mem: fixed2(stat.mem),
      age: fixed2(stat.age),
    };
  });
  // Circus sorts by the formatted CPU string, descending (so "9.00" before "10.00").
  rows.sort((a, b) => (a.cpu < b.cpu ? 1 : a.cpu > b.cpu ? -1 : 0));
  for (const row of rows.slice(0, MAX_ROWS)) {
    lines.push(columns([[COLUMNS[0], row.pid], [COLUMNS[1], row.cpu], [COLUMNS[2], row.mem], [COLUMNS[3], row.age]]));
  }
  const agg = view.aggregate;
  if (agg !== null) {
    lines.push(columns([[COLUMNS[1], `${fixed2(agg.cpu)} (avg)`], [COLUMNS[2], `${fixed2(agg.mem)} (sum)`], [COLUMNS[3], `${fixed2(agg.age)} (older)`]]));
  }
  return lines;
}

function socketLines(view: WatcherView): string[] {
  const lines = [columns([[COLUMNS[0], 'ADDRESS'], [COLUMNS[1], 'HITS']])];
  const reads = (stat: Record<string, unknown>): number => (typeof stat.reads === 'number' ? stat.reads : 0);
  const rows = [...view.rows].sort((a, b) => reads(b) - reads(a));
  for (const stat of rows) lines.push(columns([[COLUMNS[0], String(stat.address ?? '')], [COLUMNS[1], String(reads(stat)).padStart(3)]]));
  const total = view.aggregate !== null ? reads(view.aggregate) : rows.reduce((sum, s) => sum + reads(s), 0);
  lines.push(columns([[COLUMNS[1], `${String(total).padStart(3)} (sum)`]]));
  return lines;
}

/** The whole screen for `watchers` (sorted by name already). */
export function renderTop(watchers: readonly WatcherView[]): string[] {
  const shown = watchers.filter((w) => !HIDDEN.has(w.name));
  if (shown.length === 0) return [WAITING];
  const lines = ['Circus Top', '-'.repeat(70)];
  for (const view of shown) {
    lines.push(view.name.replace(/-/g, '.'));
    lines.push(...(view.name === 'sockets' ? socketLines(view) : processLines(view)));
    lines.push('');
  }
  return lines;
}
