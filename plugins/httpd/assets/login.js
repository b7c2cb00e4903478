// The login page: posts the password as JSON (with the CSRF token when the
// server already gave this browser a session) and goes to the panel, or
// shows why the login was refused.

const form = document.querySelector('[data-testid="login-form"]');
const errorBox = document.querySelector('[data-testid="login-error"]');

async function csrfToken() {
  try {
    const res = await fetch('/api/session', { credentials: 'same-origin', cache: 'no-store' });
    if (!res.ok) return '';
    const s = await res.json();
    // Already in (or no login needed): straight to the panel.
    if (s.authenticated || s.loginRequired === false) window.location.replace('/');
    return typeof s.csrf === 'string' ? s.csrf : '';
  } catch {
    return '';
  }
}

// The form also works without this script: the server then sends the
// browser back here with ?failed=wrong|throttled.
const failed = new URLSearchParams(window.location.search).get('failed');
if (failed) {
  errorBox.textContent = failed === 'throttled' ? 'login refused: too many attempts, wait a moment' : 'login refused: wrong password';
  errorBox.hidden = false;
}

let csrf = '';
csrfToken().then((t) => {
  csrf = t;
});

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  errorBox.hidden = true;
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    const headers = { 'Content-Type': 'application/json' };
    if (csrf) headers['X-CSRF-Token'] = csrf;
    const res = await fetch('/login', {
      method: 'POST',
      credentials: 'same-origin',
      headers,
      body: JSON.stringify({ password: form.password.value }),
    });
    // Success is a 303 to `/` (followed by fetch), or a JSON answer that is not an error.
    if (res.redirected && res.ok) {
      if (new URL(res.url).pathname !== '/login') {
        window.location.replace('/');
        return;
      }
      // Sent back to the login page: refused.
      errorBox.textContent = 'login refused';
      errorBox.hidden = false;
      return;
    }
    let body = null;
    try {
      body = await res.json();
    } catch {
      // Not JSON: the status says it.
    }
    if (res.ok && !(body && body.status === 'error')) {
      window.location.replace('/');
      return;
    }
    let reason = body && body.reason ? body.reason : `HTTP ${res.status}`;
    if (res.status === 401 || res.status === 403) reason = `login refused: ${reason}`;
    errorBox.textContent = reason;
    errorBox.hidden = false;
  } catch (err) {
    errorBox.textContent = `The panel server did not answer: ${err.message}`;
    errorBox.hidden = false;
  } finally {
    button.disabled = false;
  }
});
