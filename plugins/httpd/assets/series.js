// Time series of one watcher's stats samples, kept for the charts: the
// watcher aggregate (CPU %, memory %) and each process (CPU %, RSS, memory
// %), aligned on one time axis as uPlot wants, over the last two minutes.

import { parseHuman } from './dom.js';

/** Seconds of history the charts show. */
export const WINDOW_SECONDS = 120;

/** Samples closer than this (s) are one collection tick split over two messages. */
const SAME_TICK_SECONDS = 0.5;

function num(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The history of one watcher. */
export class WatcherSeries {
  constructor() {
    this.t = [];
    this.cpu = [];
    this.mem = [];
    this.rss = [];
    /** pid -> { cpu: [], rss: [], mem: [], lastTime } aligned with `t`. */
    this.procs = new Map();
    /** The latest aggregate: { cpu, mem, rss }. */
    this.last = { cpu: null, mem: null, rss: null };
    /** pid -> the latest record { cpu, mem, rss, memInfo }. */
    this.lastProc = new Map();
  }

  /** Adds one tick's samples of this watcher (pid null = the aggregate) taken at `time` (epoch s). */
  add(time, samples) {
    const n = this.t.length;
    let i = n - 1;
    if (n === 0 || time - this.t[n - 1] >= SAME_TICK_SECONDS) {
      this.t.push(time);
      this.cpu.push(null);
      this.mem.push(null);
      this.rss.push(null);
      for (const p of this.procs.values()) {
        p.cpu.push(null);
        p.rss.push(null);
        p.mem.push(null);
      }
      i = n;
    }
    for (const s of samples) {
      if (s.pid === null || s.pid === undefined) {
        this.cpu[i] = num(s.cpu);
        this.mem[i] = num(s.mem);
        this.last.cpu = this.cpu[i];
        this.last.mem = this.mem[i];
        continue;
      }
      let p = this.procs.get(s.pid);
      if (!p) {
        p = { cpu: new Array(this.t.length).fill(null), rss: new Array(this.t.length).fill(null), mem: new Array(this.t.length).fill(null), lastTime: time };
        this.procs.set(s.pid, p);
      }
      p.cpu[i] = num(s.cpu);
      p.rss[i] = parseHuman(s.mem_info1);
      p.mem[i] = num(s.mem);
      p.lastTime = time;
      this.lastProc.set(s.pid, { cpu: p.cpu[i], mem: p.mem[i], rss: p.rss[i], memInfo: s.mem_info1 });
    }
    let total = null;
    for (const p of this.procs.values()) if (p.rss[i] !== null) total = (total || 0) + p.rss[i];
    this.rss[i] = total;
    if (total !== null) this.last.rss = total;
    this.trim(time - WINDOW_SECONDS);
  }

  /** Drops what is older than `since`, and the processes not seen since. */
  trim(since) {
    let drop = 0;
    while (drop < this.t.length && this.t[drop] < since) drop += 1;
    if (drop > 0) {
      for (const arr of [this.t, this.cpu, this.mem, this.rss]) arr.splice(0, drop);
      for (const p of this.procs.values()) for (const arr of [p.cpu, p.rss, p.mem]) arr.splice(0, drop);
    }
    for (const [pid, p] of this.procs) {
      if (p.lastTime < since) {
        this.procs.delete(pid);
        this.lastProc.delete(pid);
      }
    }
  }

  /** Forgets the latest figures of the pids no longer running (the table must not show ghosts). */
  keepOnly(pids) {
    const live = new Set(pids);
    for (const pid of this.lastProc.keys()) if (!live.has(pid)) this.lastProc.delete(pid);
    if (live.size === 0) this.last = { cpu: null, mem: null, rss: null };
  }
}

/** Per daemon, the series of every watcher by resource name. */
export class SeriesStore {
  constructor() {
    this.byWatcher = new Map();
  }

  /** The series of a watcher (created on first use). */
  get(res) {
    let s = this.byWatcher.get(res);
    if (!s) {
      s = new WatcherSeries();
      this.byWatcher.set(res, s);
    }
    return s;
  }

  /** Feeds a `stats` message; returns the resource names that received samples. */
  feed(time, samples) {
    const groups = new Map();
    for (const s of samples) {
      const res = String(s.watcher);
      if (!groups.has(res)) groups.set(res, []);
      groups.get(res).push(s);
    }
    for (const [res, list] of groups) this.get(res).add(time, list);
    return [...groups.keys()];
  }
}
