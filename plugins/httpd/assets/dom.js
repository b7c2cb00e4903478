// Small DOM helpers shared by the panel's modules (no framework: the page is
// served as is, and CSP allows only same-origin scripts and styles, so every
// style is a class from app.css).

/**
 * Creates an element: h('td', {class: 'x', testid: 'y', dataset: {...}, on: {click}}, ...children).
 * Children are nodes or strings (strings become text nodes: never parsed as HTML).
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'testid') el.dataset.testid = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'on') for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
    else if (key === 'text') el.textContent = value;
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Sets an element's text only when it changed (keeps layout work low on every stats tick). */
export function setText(el, text) {
  const s = String(text);
  if (el.textContent !== s) el.textContent = s;
}

/** Circus's resource name (topics and stats): lower-cased, spaces as `_`. */
export function resName(name) {
  return String(name).toLowerCase().replace(/ /g, '_');
}

/** Watchers that belong to circusd itself, not to the user: listed small, without buttons. */
export function isSystemWatcher(name) {
  return name === 'circusd-stats' || name === 'circushttpd' || name.startsWith('plugin:');
}

const UNITS = ['K', 'M', 'G', 'T', 'P'];

/** Circus's human sizes (`10.52M`, `512B`) back to bytes; null when not one. */
export function parseHuman(text) {
  if (typeof text !== 'string') return null;
  const m = /^([0-9.]+)([BKMGTP])$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  if (!Number.isFinite(n)) return null;
  return m[2] === 'B' ? n : n * 2 ** (10 * (UNITS.indexOf(m[2]) + 1));
}

/** Bytes as a short human string (binary units). */
export function formatBytes(n) {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  for (let i = UNITS.length - 1; i >= 0; i -= 1) {
    const unit = 2 ** (10 * (i + 1));
    if (n >= unit) return `${(n / unit).toFixed(1)} ${UNITS[i]}iB`;
  }
  return `${Math.round(n)} B`;
}

/** A percentage with one decimal, or a dash when unknown. */
export function formatPct(n) {
  return typeof n === 'number' && Number.isFinite(n) ? `${n.toFixed(1)} %` : '—';
}

/** Epoch seconds (or milliseconds) as local HH:MM:SS. */
export function formatClock(t) {
  const ms = t > 1e11 ? t : t * 1000;
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}

/** Epoch seconds from a message time that may be seconds or milliseconds. */
export function toSeconds(t) {
  return typeof t === 'number' && Number.isFinite(t) ? (t > 1e11 ? t / 1000 : t) : Date.now() / 1000;
}
