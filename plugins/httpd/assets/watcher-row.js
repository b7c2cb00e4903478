// One watcher of the watchers table: name (click to expand its processes),
// status, process count, CPU and memory, and the action buttons. Every
// action goes through the same Circus commands as circusctl, via the REST API.

import { h, setText, formatBytes, formatPct } from './dom.js';
import { command } from './api.js';
import { showError } from './notices.js';
import { ProcessPanel } from './processes.js';

/** The signals offered by the signal select (Circus accepts the names). */
export const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGKILL', 'SIGUSR1', 'SIGUSR2', 'SIGTERM', 'SIGCONT', 'SIGSTOP'];

const ACTIONS = [
  { cmd: 'start', title: 'start the watcher' },
  { cmd: 'stop', title: 'stop the watcher (its processes are stopped)' },
  { cmd: 'restart', title: 'stop then start the watcher' },
  { cmd: 'reload', title: 'reload the watcher (graceful restart of its processes)' },
  { cmd: 'incr', title: 'one more process', props: { nb: 1 } },
  { cmd: 'decr', title: 'one process fewer', props: { nb: 1 } },
];

const COLUMNS = 6;

/** A watcher's two table rows (the summary and the expandable detail). */
export class WatcherRow {
  constructor(daemonId, name) {
    this.daemonId = daemonId;
    this.name = name;
    this.pids = [];
    this.panel = null;
    this.expander = h('button', { type: 'button', class: 'expander', testid: 'watcher-expand', 'aria-expanded': 'false', title: 'show the processes and charts', on: { click: () => this.toggle() } }, name);
    this.status = h('span', { class: 'status', testid: 'watcher-status' });
    this.procs = h('td', { class: 'num', testid: 'watcher-procs' });
    this.cpu = h('td', { class: 'num', testid: 'watcher-cpu' });
    this.mem = h('td', { class: 'num', testid: 'watcher-mem' });
    this.buttons = ACTIONS.map((a) => h('button', { type: 'button', class: `action action-${a.cmd}`, testid: `action-${a.cmd}`, title: a.title, on: { click: () => this.run(a.cmd, { name, ...(a.props || {}) }) } }, a.cmd));
    this.signal = h('select', { testid: 'signal-select', 'aria-label': 'signal to send' }, SIGNALS.map((s) => h('option', { value: s }, s.slice(3))));
    const send = h('button', { type: 'button', class: 'action action-signal', testid: 'action-signal', title: 'send the signal to every process', on: { click: () => this.run('signal', { name, signum: this.signal.value }) } }, 'signal');
    this.buttons.push(send);
    this.tr = h('tr', { class: 'watcher-row', testid: 'watcher-row', dataset: { watcher: name, daemon: daemonId } },
      h('td', { class: 'name' }, this.expander),
      h('td', {}, this.status),
      this.procs, this.cpu, this.mem,
      h('td', { class: 'actions' }, this.buttons.slice(0, ACTIONS.length), h('span', { class: 'signal' }, this.signal, send)));
    this.detailCell = h('td', { colspan: String(COLUMNS) });
    this.detail = h('tr', { class: 'watcher-detail', testid: 'watcher-detail', dataset: { watcher: name }, hidden: true }, this.detailCell);
  }

  /** Runs an action; its failure is shown with the reason. */
  async run(cmd, props) {
    for (const b of this.buttons) b.disabled = true;
    try {
      await command(this.daemonId, cmd, props);
    } catch (err) {
      showError(`${this.name}: ${err.message}`);
    } finally {
      for (const b of this.buttons) b.disabled = false;
    }
  }

  /** Whether the processes panel is open. */
  get expanded() {
    return this.panel !== null;
  }

  toggle() {
    if (this.panel) {
      this.panel.destroy();
      this.panel = null;
      this.detail.hidden = true;
      this.expander.setAttribute('aria-expanded', 'false');
    } else {
      this.detail.hidden = false;
      this.panel = new ProcessPanel(this.detailCell);
      this.expander.setAttribute('aria-expanded', 'true');
      if (this.onExpand) this.onExpand(this);
    }
  }

  /** New state from the daemon: status and pids. */
  setState(w) {
    this.pids = Array.isArray(w.pids) ? w.pids : [];
    setText(this.status, w.status);
    this.status.className = `status status-${String(w.status).replace(/[^a-z]/gi, '')}`;
    setText(this.procs, this.pids.length);
  }

  /** Latest figures (and the panel, when open) from the watcher's series. */
  setFigures(series, info) {
    if (!info.stats) {
      setText(this.cpu, '—');
      setText(this.mem, '—');
    } else {
      const running = this.pids.length > 0;
      setText(this.cpu, running ? formatPct(series.last.cpu) : '—');
      const rss = running && series.last.rss !== null ? formatBytes(series.last.rss) : null;
      setText(this.mem, !running ? '—' : rss ? `${rss} (${formatPct(series.last.mem)})` : formatPct(series.last.mem));
    }
    if (this.panel) this.panel.update(this.pids, series, info);
  }

  /** Removes both rows (the watcher is gone). */
  remove() {
    if (this.panel) this.panel.destroy();
    this.tr.remove();
    this.detail.remove();
  }
}
