// One circusd of the fleet: its section with the label, endpoint and
// connection badge, the watchers table, and the daemon's own watchers
// (circusd-stats, circushttpd, plugins) listed small without buttons.

import { h, setText, resName, isSystemWatcher } from './dom.js';
import { SeriesStore } from './series.js';
import { WatcherRow } from './watcher-row.js';

/** The section of one daemon. */
export class DaemonView {
  constructor(info) {
    this.id = info.id;
    this.info = info;
    this.series = new SeriesStore();
    this.rows = new Map();
    this.watchers = [];
    this.title = h('h2', {}, '');
    this.endpoint = h('span', { class: 'endpoint', testid: 'daemon-endpoint' });
    this.badge = h('span', { class: 'badge', testid: 'daemon-badge' });
    this.reasons = h('p', { class: 'unavailable', testid: 'daemon-reasons', hidden: true });
    this.body = h('tbody', {});
    this.table = h('table', { class: 'watchers', testid: 'watchers-table' },
      h('thead', {}, h('tr', {},
        h('th', {}, 'watcher'), h('th', {}, 'status'), h('th', { class: 'num' }, 'processes'),
        h('th', { class: 'num' }, 'CPU'), h('th', { class: 'num' }, 'memory'), h('th', {}, 'actions'))),
      this.body);
    this.empty = h('p', { class: 'hint', testid: 'no-watchers' }, 'No watcher yet.');
    this.system = h('p', { class: 'system', testid: 'system-watchers' });
    this.root = h('section', { class: 'daemon', testid: 'daemon', dataset: { daemon: info.id } },
      h('header', { class: 'daemon-head' }, this.title, this.endpoint, this.badge),
      this.reasons, this.table, this.empty, this.system);
    this.setInfo(info);
  }

  /** The daemon's info changed (connection, stats and tail availability). */
  setInfo(info) {
    this.info = info;
    setText(this.title, info.label || info.id);
    setText(this.endpoint, info.endpoint);
    setText(this.badge, info.connected ? 'connected' : `disconnected${info.error ? `: ${info.error}` : ''}`);
    this.badge.className = `badge ${info.connected ? 'ok' : 'bad'}`;
    this.badge.dataset.connected = String(Boolean(info.connected));
    const reasons = [];
    if (info.connected && !info.stats) reasons.push(`Live CPU and memory figures unavailable: ${info.statsReason || 'no stats'}`);
    this.reasons.hidden = reasons.length === 0;
    setText(this.reasons, reasons.join(' '));
    this.refreshFigures(null);
  }

  /** The daemon's watchers (every one, sorted by name). */
  setState(watchers) {
    this.watchers = watchers;
    const user = watchers.filter((w) => !isSystemWatcher(w.name));
    const names = new Set(user.map((w) => w.name));
    for (const [name, row] of this.rows) {
      if (!names.has(name)) {
        row.remove();
        this.rows.delete(name);
      }
    }
    let after = null;
    for (const w of user) {
      let row = this.rows.get(w.name);
      if (!row) {
        row = new WatcherRow(this.id, w.name);
        row.onExpand = (r) => r.setFigures(this.series.get(resName(r.name)), this.info);
        this.rows.set(w.name, row);
      }
      const want = after ? after.detail.nextSibling : this.body.firstChild;
      if (want !== row.tr) this.body.insertBefore(row.tr, want);
      if (row.tr.nextSibling !== row.detail) this.body.insertBefore(row.detail, row.tr.nextSibling);
      after = row;
      row.setState(w);
      this.series.get(resName(w.name)).keepOnly(row.pids);
      row.setFigures(this.series.get(resName(w.name)), this.info);
    }
    this.empty.hidden = user.length > 0;
    this.table.hidden = user.length === 0;
    const sys = watchers.filter((w) => isSystemWatcher(w.name));
    this.system.replaceChildren(...(sys.length ? ['daemon services: '] : []),
      ...sys.map((w) => h('span', { class: `chip status-${String(w.status).replace(/[^a-z]/gi, '')}`, dataset: { watcher: w.name } }, `${w.name} (${w.status})`)));
  }

  /** A `stats` message of this daemon. */
  onStats(time, samples) {
    this.refreshFigures(this.series.feed(time, samples));
  }

  /** Redraws the figures of the watchers in `resNames` (all when null). */
  refreshFigures(resNames) {
    const only = resNames ? new Set(resNames) : null;
    for (const row of this.rows.values()) {
      const res = resName(row.name);
      if (!only || only.has(res)) row.setFigures(this.series.get(res), this.info);
    }
  }

  /** Names of the user's watchers (for the tail and the add form). */
  userWatchers() {
    return this.watchers.filter((w) => !isSystemWatcher(w.name)).map((w) => w.name);
  }
}
