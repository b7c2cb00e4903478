// Errors shown to the user: action failures (with the reason circusd or the
// server gave) and connection troubles. A bounded list, newest on top; each
// notice can be dismissed and goes by itself after a while.

import { h } from './dom.js';

const MAX_NOTICES = 6;
const NOTICE_MS = 15000;

let box = null;

/** Binds the notices to their container (the `notices` element of the page). */
export function initNotices(container) {
  box = container;
}

/**
 * Circus words a command's failure `command b'<the request>': <reason>`;
 * the request is noise to a user who just pressed a button (kept in the
 * notice's tooltip).
 */
function shorten(text) {
  return text.replace(/command b?'(?:[^'\\]|\\.)*': /, '');
}

/** Shows an error notice: `text` is what went wrong, named. */
export function showError(text) {
  if (!box) return;
  const item = h('div', { class: 'notice error', testid: 'action-error', role: 'alert', title: text },
    h('span', { class: 'notice-text' }, shorten(text)),
    h('button', { class: 'notice-close', type: 'button', title: 'dismiss', on: { click: () => item.remove() } }, '×'));
  box.prepend(item);
  while (box.children.length > MAX_NOTICES) box.lastElementChild.remove();
  setTimeout(() => item.remove(), NOTICE_MS);
}

/** Shows a short success notice (an added watcher, say). */
export function showInfo(text) {
  if (!box) return;
  const item = h('div', { class: 'notice info', testid: 'action-info' }, h('span', { class: 'notice-text' }, text));
  box.prepend(item);
  while (box.children.length > MAX_NOTICES) box.lastElementChild.remove();
  setTimeout(() => item.remove(), 5000);
}
