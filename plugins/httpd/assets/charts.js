// Live charts of an expanded watcher, drawn with uPlot (served from
// /assets/vendor/uplot.js, global `uPlot`): CPU % and memory over the last
// two minutes, the watcher's line plus one line per process (the first
// MAX_PROC_LINES processes: more lines would cost the browser without
// telling the user anything).

import { h, formatBytes, formatClock, formatPct } from './dom.js';
import { WINDOW_SECONDS } from './series.js';

/** Processes drawn as lines; the table lists them all. */
export const MAX_PROC_LINES = 8;

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const HEIGHT = 170;

function chartOptions(title, width, lines, fmt) {
  return {
    title,
    width,
    height: HEIGHT,
    scales: {
      x: { time: true, range: (u, min, max) => [max - WINDOW_SECONDS, max] },
      y: { range: (u, min, max) => [0, Math.max(max || 0, 1) * 1.1] },
    },
    axes: [{ values: (u, vals) => vals.map((v) => formatClock(v)) }, { values: (u, vals) => vals.map(fmt), size: 70 }],
    series: [
      {},
      { label: 'watcher', stroke: '#222', width: 2, spanGaps: true, value: (u, v) => fmt(v) },
      ...lines.map((pid, i) => ({ label: `pid ${pid}`, stroke: PALETTE[i % PALETTE.length], width: 1, spanGaps: true, value: (u, v) => fmt(v) })),
    ],
    legend: { live: true },
  };
}

/** The two charts (CPU, memory) of one watcher; redrawn from its WatcherSeries. */
export class WatcherCharts {
  constructor(container) {
    this.root = h('div', { class: 'charts', testid: 'watcher-charts' });
    container.append(this.root);
    this.cpu = null;
    this.mem = null;
    this.lines = [];
    this.width = 0;
  }

  /** Redraws from `series` for the processes `pids` (the first MAX_PROC_LINES drawn). */
  update(series, pids) {
    if (typeof window.uPlot !== 'function') return;
    const lines = pids.slice(0, MAX_PROC_LINES);
    const width = Math.max(280, Math.floor((this.root.clientWidth || 600) / 2) - 12);
    if (!this.cpu || lines.join() !== this.lines.join() || Math.abs(width - this.width) > 8) this.rebuild(lines, width);
    const empty = () => new Array(series.t.length).fill(null);
    const procs = lines.map((pid) => series.procs.get(pid));
    this.cpu.setData([series.t, series.cpu, ...procs.map((p) => (p ? p.cpu : empty()))]);
    this.mem.setData([series.t, series.rss, ...procs.map((p) => (p ? p.rss : empty()))]);
  }

  rebuild(lines, width) {
    this.destroyCharts();
    this.lines = lines;
    this.width = width;
    const cpuBox = h('div', { class: 'chart', testid: 'chart-cpu' });
    const memBox = h('div', { class: 'chart', testid: 'chart-mem' });
    this.root.replaceChildren(cpuBox, memBox);
    // uPlot's constructor wants data: an empty frame of the right shape.
    const blank = [[], [], ...lines.map(() => [])];
    this.cpu = new window.uPlot(chartOptions('CPU %', width, lines, (v) => (v === null || v === undefined ? '—' : formatPct(v))), blank, cpuBox);
    this.mem = new window.uPlot(chartOptions('Memory (RSS)', width, lines, (v) => (v === null || v === undefined ? '—' : formatBytes(v))), blank, memBox);
  }

  destroyCharts() {
    if (this.cpu) this.cpu.destroy();
    if (this.mem) this.mem.destroy();
    this.cpu = null;
    this.mem = null;
  }

  /** Frees the charts (the watcher was collapsed). */
  destroy() {
    this.destroyCharts();
    this.root.remove();
  }
}
