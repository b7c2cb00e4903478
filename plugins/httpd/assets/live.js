// The websocket to the panel server (/ws): hello, state, daemon, event,
// stats and output messages in; tail subscriptions out. Reconnects with a
// bounded backoff; a refused upgrade (no session any more) is told apart by
// asking /api/session, and sends the user to the login page.

const MIN_RETRY_MS = 1000;
const MAX_RETRY_MS = 15000;

/**
 * One live connection. `handlers`: onMessage(msg), onStatus(text, ok),
 * onUnauthorized() (called when the session is gone).
 */
export class Live {
  constructor(handlers, checkSession) {
    this.handlers = handlers;
    this.checkSession = checkSession;
    this.socket = null;
    this.retryMs = MIN_RETRY_MS;
    this.timer = null;
    this.tail = null;
    this.closed = false;
  }

  /** Opens the socket (again). */
  connect() {
    if (this.closed) return;
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${window.location.host}/ws`);
    this.socket = socket;
    let greeted = false;
    this.handlers.onStatus('connecting', false);
    socket.addEventListener('message', (ev) => {
      let msg;
      try {
        msg = JSON.parse(ev.data);
      } catch {
        console.warn('panel: a websocket message that is not JSON was ignored');
        return;
      }
      if (msg.type === 'hello') {
        greeted = true;
        this.retryMs = MIN_RETRY_MS;
        this.handlers.onStatus('live', true);
        if (this.tail) this.send({ type: 'tail', daemon: this.tail.daemon, watcher: this.tail.watcher });
      }
      this.handlers.onMessage(msg);
    });
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.closed) return;
      this.handlers.onStatus('disconnected, retrying', false);
      // A socket closed before its hello may have been refused for want of a
      // session: ask before hammering the server with retries.
      const check = greeted ? Promise.resolve(true) : this.checkSession().catch(() => true);
      check.then((ok) => {
        if (!ok) {
          this.handlers.onUnauthorized();
          return;
        }
        this.timer = setTimeout(() => this.connect(), this.retryMs);
        this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
      });
    });
  }

  /** Sends a message when the socket is open (dropped otherwise: the hello resends the tail). */
  send(msg) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(msg));
  }

  /** Tails one watcher's output (null watcher: none); kept across reconnections. */
  setTail(daemon, watcher) {
    this.tail = watcher === null ? null : { daemon, watcher };
    this.send({ type: 'tail', daemon, watcher });
  }

  /** Closes for good (logout, page leaving). */
  close() {
    this.closed = true;
    clearTimeout(this.timer);
    if (this.socket) this.socket.close();
  }
}
