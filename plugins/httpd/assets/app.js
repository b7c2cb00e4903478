// The panel's entry point: checks the session (to the login page when one is
// needed), then opens the websocket and routes its messages to the fleet
// (one section per daemon), the events feed and the log tail.

import { h, toSeconds } from './dom.js';
import { loadSession, logout } from './api.js';
import { initNotices, showError } from './notices.js';
import { Live } from './live.js';
import { DaemonView } from './daemon-view.js';
import { EventFeed } from './feed.js';
import { LogTail } from './tail.js';
import { bindAddForm } from './add-form.js';

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

/** True when the session may use the panel (no login needed, or logged in). */
async function sessionOk() {
  const s = await loadSession();
  return s !== null && (!s.loginRequired || s.authenticated);
}

async function main() {
  initNotices(byTestId('notices'));
  let session;
  try {
    session = await loadSession();
  } catch (err) {
    showError(`The panel server did not answer: ${err.message}`);
    return;
  }
  if (session === null || (session.loginRequired && !session.authenticated)) {
    window.location.replace('/login');
    return;
  }
  const views = new Map();
  const list = () => [...views.values()];
  const fleet = byTestId('fleet');
  const wsStatus = byTestId('ws-status');
  const feed = new EventFeed(byTestId('events'), (id) => (views.has(id) ? views.get(id).info.label || id : id));
  let tail = null;
  let refreshAdd = () => undefined;

  const ensure = (info) => {
    let view = views.get(info.id);
    if (!view) {
      view = new DaemonView(info);
      views.set(info.id, view);
      fleet.append(view.root);
    }
    return view;
  };

  const onMessage = (msg) => {
    const view = views.get(msg.daemon);
    switch (msg.type) {
      case 'hello': {
        const ids = new Set(msg.daemons.map((d) => d.id));
        for (const [id, v] of views) {
          if (!ids.has(id)) {
            v.root.remove();
            views.delete(id);
          }
        }
        for (const info of msg.daemons) ensure(info).setInfo(info);
        byTestId('no-daemons').hidden = views.size > 0;
        break;
      }
      case 'daemon':
        ensure(msg.info).setInfo(msg.info);
        break;
      case 'state':
        if (view) view.setState(msg.watchers);
        break;
      case 'event':
        feed.add(msg);
        return;
      case 'stats':
        if (view) view.onStats(toSeconds(msg.time), msg.samples || []);
        return;
      case 'output':
        tail.add(msg);
        return;
      default:
        return;
    }
    tail.refreshChoices();
    refreshAdd();
  };

  const live = new Live({
    onMessage,
    onStatus: (text, ok) => {
      wsStatus.textContent = text;
      wsStatus.className = `badge ${ok ? 'ok' : 'bad'}`;
      wsStatus.dataset.live = String(ok);
    },
    onUnauthorized: () => window.location.replace('/login'),
  }, sessionOk);
  tail = new LogTail(byTestId('tail'), live, list);
  refreshAdd = bindAddForm(byTestId('add-form'), list);

  const out = byTestId('logout');
  out.hidden = !session.loginRequired;
  out.addEventListener('click', () => {
    live.close();
    logout();
  });
  live.connect();
}

main().catch((err) => {
  console.error(err);
  document.body.prepend(h('p', { class: 'notice error', role: 'alert' }, `The panel failed to start: ${err.message}`));
});
