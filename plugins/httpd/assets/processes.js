// The expanded view of one watcher: its live charts (or why there are none)
// and its processes with their latest CPU and memory figures.

import { h, setText, formatBytes, formatPct } from './dom.js';
import { WatcherCharts, MAX_PROC_LINES } from './charts.js';

/** The processes panel of one watcher (a table row spanning the watchers table). */
export class ProcessPanel {
  constructor(container) {
    this.notice = h('p', { class: 'unavailable', testid: 'stats-unavailable', hidden: true });
    this.chartsBox = h('div', { class: 'charts-box' });
    this.more = h('p', { class: 'hint', hidden: true });
    this.body = h('tbody', { testid: 'process-rows' });
    this.empty = h('p', { class: 'hint', testid: 'no-processes' }, 'No process running.');
    this.table = h('table', { class: 'processes', testid: 'process-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'pid'), h('th', {}, 'CPU'), h('th', {}, 'memory'), h('th', {}, 'RSS'))),
      this.body);
    this.root = h('div', { class: 'process-panel', testid: 'process-panel' }, this.notice, this.chartsBox, this.more, this.table, this.empty);
    container.append(this.root);
    this.charts = null;
    this.rows = new Map();
  }

  /** Redraws for the watcher's pids, its series, and the daemon's info (stats available?). */
  update(pids, series, info) {
    const sorted = [...pids].sort((a, b) => a - b);
    if (info.stats) {
      this.notice.hidden = true;
      if (!this.charts) this.charts = new WatcherCharts(this.chartsBox);
      this.charts.update(series, sorted);
      this.more.hidden = sorted.length <= MAX_PROC_LINES;
      setText(this.more, `The charts draw the first ${MAX_PROC_LINES} of ${sorted.length} processes; the table lists them all.`);
    } else {
      this.notice.hidden = false;
      setText(this.notice, `Live charts unavailable: ${info.statsReason || 'no stats from this daemon'}`);
      if (this.charts) this.charts.destroy();
      this.charts = null;
      this.more.hidden = true;
    }
    this.updateRows(sorted, series);
  }

  updateRows(pids, series) {
    const live = new Set(pids);
    for (const [pid, row] of this.rows) {
      if (!live.has(pid)) {
        row.tr.remove();
        this.rows.delete(pid);
      }
    }
    let prev = null;
    for (const pid of pids) {
      let row = this.rows.get(pid);
      if (!row) {
        row = { cpu: h('td', { testid: 'process-cpu' }), mem: h('td', { testid: 'process-mem' }), rss: h('td', { testid: 'process-rss' }) };
        row.tr = h('tr', { testid: 'process-row', dataset: { pid: String(pid) } }, h('td', { testid: 'process-pid' }, String(pid)), row.cpu, row.mem, row.rss);
        this.rows.set(pid, row);
      }
      // Keep the rows in pid order without rebuilding them.
      const want = prev ? prev.tr.nextSibling : this.body.firstChild;
      if (want !== row.tr) this.body.insertBefore(row.tr, want);
      prev = row;
      const last = series.lastProc.get(pid);
      setText(row.cpu, formatPct(last ? last.cpu : null));
      setText(row.mem, formatPct(last ? last.mem : null));
      setText(row.rss, last && last.rss !== null ? formatBytes(last.rss) : '—');
    }
    this.empty.hidden = pids.length > 0;
    this.table.hidden = pids.length === 0;
  }

  /** Frees the charts and the DOM (the watcher was collapsed). */
  destroy() {
    if (this.charts) this.charts.destroy();
    this.root.remove();
  }
}
