// The live feed of pubsub events (watcher.<name>.<event>), newest first,
// bounded so a busy daemon cannot grow the page.

import { h, formatClock } from './dom.js';

/** Rows kept in the feed. */
export const MAX_EVENTS = 200;

/** The events feed. */
export class EventFeed {
  constructor(container, labelOf) {
    this.labelOf = labelOf;
    this.list = h('ol', { class: 'feed', testid: 'event-feed', reversed: true });
    this.empty = h('p', { class: 'hint' }, 'No event yet.');
    container.append(this.empty, this.list);
  }

  /** Adds an `event` message on top. */
  add(msg) {
    const data = msg.data && typeof msg.data === 'object' ? msg.data : {};
    const details = Object.entries(data)
      .filter(([k]) => k !== 'time')
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    const time = typeof data.time === 'number' ? data.time : Date.now() / 1000;
    const row = h('li', { class: `event event-${String(msg.event).replace(/[^a-z]/gi, '')}`, testid: 'event-row', dataset: { watcher: msg.watcher, event: msg.event } },
      h('time', {}, formatClock(time)),
      h('span', { class: 'event-daemon' }, this.labelOf(msg.daemon)),
      h('span', { class: 'event-watcher' }, msg.watcher),
      h('span', { class: 'event-name' }, msg.event),
      h('span', { class: 'event-data' }, details));
    this.list.prepend(row);
    while (this.list.children.length > MAX_EVENTS) this.list.lastElementChild.remove();
    this.empty.hidden = true;
  }
}
