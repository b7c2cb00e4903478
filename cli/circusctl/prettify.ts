/**
 * `--json` output. Python circusctl prints `json.dumps(reply)`; with
 * `--prettify`, indent 2 and sorted keys, coloured by pygments when it is
 * installed (then followed by an extra empty line). circus-ts colours only
 * when stdout is a terminal, so piped output stays plain, parseable JSON.
 */
import { pyJson } from '../../protocol/py-json';

const KEY = '\x1b[94m';
const STRING = '\x1b[33m';
const LITERAL = '\x1b[34m';
const RESET = '\x1b[39m';

function colourize(text: string): string {
  // Tokens of our own pretty JSON: strings (keys when followed by `:`), numbers, literals.
  return text.replace(/("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|NaN|-?Infinity)/g, (m, str, colon, lit) => {
    if (str !== undefined) return colon !== undefined ? `${KEY}${str}${RESET}${colon}` : `${STRING}${str}${RESET}`;
    return `${LITERAL}${lit as string}${RESET}`;
  });
}

/** The text printed for a reply under `--json` (without the final newline of print). */
export function jsonOutput(reply: unknown, prettify: boolean, colour: boolean): string {
  if (!prettify) return pyJson(reply);
  const text = pyJson(reply, { indent: 2, sortKeys: true });
  // pygments ends its output with a newline of its own, hence the blank line.
  return colour ? `${colourize(text)}\n` : text;
}
