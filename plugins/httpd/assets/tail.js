// The live tail of one watcher's stdout and stderr (output messages, sent
// only for the watcher this page tails). Lines are cut at newlines per
// process and stream, and bounded; a daemon that cannot tail says why.

import { h, setText, resName } from './dom.js';

/** Lines kept in the tail. */
export const MAX_LINES = 1000;
/** A partial line waits this long for its end before it is shown as is. */
const FLUSH_MS = 700;

/** The log tail. `live` sends the subscription, `daemons()` lists the DaemonViews. */
export class LogTail {
  constructor(container, live, daemons) {
    this.live = live;
    this.daemons = daemons;
    this.current = null;
    this.carry = new Map();
    this.timer = null;
    this.select = h('select', { testid: 'tail-select', 'aria-label': 'watcher to tail', on: { change: () => this.choose(this.select.value) } });
    this.clear = h('button', { type: 'button', testid: 'tail-clear', on: { click: () => this.out.replaceChildren() } }, 'clear');
    this.notice = h('p', { class: 'unavailable', testid: 'tail-unavailable', hidden: true });
    this.out = h('div', { class: 'tail', testid: 'tail-output', role: 'log', 'aria-live': 'off' });
    container.append(h('div', { class: 'tail-controls' }, h('label', {}, 'watcher ', this.select), this.clear), this.notice, this.out);
    this.refreshChoices();
  }

  /** Rebuilds the watcher choices (a daemon's watchers changed). */
  refreshChoices() {
    const options = [h('option', { value: '' }, '— none —')];
    const views = this.daemons();
    for (const d of views) {
      for (const name of d.userWatchers()) {
        const value = JSON.stringify([d.id, name]);
        options.push(h('option', { value }, views.length > 1 ? `${d.info.label || d.id} / ${name}` : name));
      }
    }
    const keep = this.select.value;
    const sig = options.map((o) => o.value).join('\n');
    if (sig !== this.optionsSig) {
      this.select.replaceChildren(...options);
      this.optionsSig = sig;
      this.select.value = options.some((o) => o.value === keep) ? keep : '';
    }
    this.showReason();
  }

  /** Starts tailing the chosen `[daemon, watcher]` (JSON) or stops (''). */
  choose(value) {
    this.flush();
    if (!value) {
      if (this.current) this.live.setTail(this.current.daemon, null);
      this.current = null;
    } else {
      const [daemon, watcher] = JSON.parse(value);
      this.current = { daemon, watcher };
      this.live.setTail(daemon, watcher);
    }
    this.showReason();
  }

  /** Shows why the chosen daemon cannot tail (its info says tail=false). */
  showReason() {
    const view = this.current && this.daemons().find((d) => d.id === this.current.daemon);
    const off = view && !view.info.tail;
    this.notice.hidden = !off;
    if (off) setText(this.notice, `Log tail unavailable: ${view.info.tailReason || 'this daemon does not publish output'}`);
  }

  /** An `output` message. */
  add(msg) {
    if (!this.current || msg.daemon !== this.current.daemon || resName(msg.watcher) !== resName(this.current.watcher)) return;
    const key = `${msg.pid}/${msg.stream}`;
    const text = (this.carry.get(key) || '') + String(msg.data);
    const parts = text.split('\n');
    const rest = parts.pop();
    for (const line of parts) this.line(msg.pid, msg.stream, line);
    if (rest) this.carry.set(key, rest);
    else this.carry.delete(key);
    clearTimeout(this.timer);
    if (this.carry.size > 0) this.timer = setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** Shows the partial lines still waiting for their newline. */
  flush() {
    for (const [key, text] of this.carry) {
      const [pid, stream] = key.split('/');
      this.line(Number(pid), stream, text);
    }
    this.carry.clear();
  }

  line(pid, stream, text) {
    const stick = this.out.scrollTop + this.out.clientHeight >= this.out.scrollHeight - 4;
    this.out.append(h('div', { class: `tail-line ${stream}`, testid: 'tail-line', dataset: { stream, pid: String(pid) } },
      h('span', { class: 'tail-pid' }, String(pid)), h('span', { class: 'tail-stream' }, stream), h('span', { class: 'tail-text' }, text)));
    while (this.out.children.length > MAX_LINES) this.out.firstElementChild.remove();
    // Follow the end unless the user scrolled up to read.
    if (stick) this.out.scrollTop = this.out.scrollHeight;
  }
}
