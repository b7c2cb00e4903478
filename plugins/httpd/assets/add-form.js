// The "Add watcher" form: Circus's `add` command with the watcher options
// (numprocesses, working_dir, shell) in `options`, started at once when asked.

import { h } from './dom.js';
import { command } from './api.js';
import { showError, showInfo } from './notices.js';

/** Binds the form of index.html; `daemons()` lists the DaemonViews (the target choices). */
export function bindAddForm(form, daemons) {
  const field = (id) => form.querySelector(`[data-testid="${id}"]`);
  const target = field('add-daemon');
  const submit = field('add-submit');

  const refresh = () => {
    const views = daemons();
    const keep = target.value;
    const sig = views.map((d) => `${d.id}\n${d.info.label}`).join('\n');
    if (sig !== target.dataset.sig) {
      target.replaceChildren(...views.map((d) => h('option', { value: d.id }, d.info.label || d.id)));
      target.dataset.sig = sig;
      if (views.some((d) => d.id === keep)) target.value = keep;
    }
    // One daemon: nothing to choose.
    target.closest('label').hidden = views.length < 2;
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const name = field('add-name').value.trim();
    const cmd = field('add-cmd').value.trim();
    const daemon = target.value || (daemons()[0] && daemons()[0].id);
    if (!daemon) {
      showError('add: no daemon to add the watcher to');
      return;
    }
    const options = { shell: field('add-shell').checked };
    const n = field('add-numprocesses').value.trim();
    if (n !== '') options.numprocesses = Number(n);
    const dir = field('add-working-dir').value.trim();
    if (dir !== '') options.working_dir = dir;
    const props = { name, cmd, start: field('add-start').checked, options };
    const args = field('add-args').value.trim();
    if (args !== '') props.args = args;
    submit.disabled = true;
    try {
      await command(daemon, 'add', props);
      showInfo(`watcher ${name} added${props.start ? ' and started' : ''}`);
      form.reset();
    } catch (err) {
      showError(`${name || 'add'}: ${err.message}`);
    } finally {
      submit.disabled = false;
    }
  });
  return refresh;
}
