/** The watchdog's patterns: the kernel's Python-regex translation, errors named after the option. */
import { compilePythonRegex as compile, errorMessage, pyMatch } from '../../kernel/index';
import { WatchdogOptionError } from './errors';

export { pyMatch };

/** Compiles a Python pattern given as option `option`; throws WatchdogOptionError naming it. */
export function compilePythonRegex(option: string, pattern: string): RegExp {
  try {
    return compile(pattern);
  } catch (err) {
    throw new WatchdogOptionError(option, errorMessage(err));
  }
}
