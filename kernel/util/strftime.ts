/**
 * C-locale `strftime` over local time. Hand-written because Python logging
 * config files carry `datefmt` strings in strftime syntax (Circus itself uses
 * `%Y-%m-%d %H:%M:%S` and `%b %d %H:%M:%S`) and neither Node nor our pinned
 * dependencies offer strftime. Unknown directives are copied through, as
 * glibc does.
 */

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function pad(n: number, width: number, fill = '0'): string {
  return String(n).padStart(width, fill);
}

function dayOfYear(d: Date): number {
  const start = new Date(d.getFullYear(), 0, 1);
  const utcDiff = Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) - Date.UTC(start.getFullYear(), 0, 1);
  return Math.floor(utcDiff / 86_400_000) + 1;
}

/** Week number with weeks starting on `firstDay` (0 = Sunday for %U, 1 = Monday for %W). */
function weekOfYear(d: Date, firstDay: number): number {
  const yday = dayOfYear(d) - 1;
  const wday = (d.getDay() - firstDay + 7) % 7;
  return Math.floor((yday + 7 - wday) / 7);
}

function tzOffset(d: Date): string {
  const minutes = -d.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60), 2)}${pad(abs % 60, 2)}`;
}

function tzName(d: Date): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
    .formatToParts(d)
    .find((p) => p.type === 'timeZoneName');
  return part ? part.value : '';
}

/** Formats `date` (local time) with the strftime `format`. */
export function strftime(format: string, date: Date): string {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch !== '%' || i + 1 >= format.length) {
      out += ch;
      continue;
    }
    const directive = format[++i];
    out += directiveValue(directive, date);
  }
  return out;
}

function directiveValue(directive: string, d: Date): string {
  const hour12 = d.getHours() % 12 === 0 ? 12 : d.getHours() % 12;
  switch (directive) {
    case 'a':
      return DAYS[d.getDay()].slice(0, 3);
    case 'A':
      return DAYS[d.getDay()];
    case 'b':
    case 'h':
      return MONTHS[d.getMonth()].slice(0, 3);
    case 'B':
      return MONTHS[d.getMonth()];
    case 'c':
      return `${directiveValue('a', d)} ${directiveValue('b', d)} ${pad(d.getDate(), 2, ' ')} ${directiveValue('X', d)} ${d.getFullYear()}`;
    case 'd':
      return pad(d.getDate(), 2);
    case 'e':
      return pad(d.getDate(), 2, ' ');
    case 'D':
    case 'x':
      return `${pad(d.getMonth() + 1, 2)}/${pad(d.getDate(), 2)}/${pad(d.getFullYear() % 100, 2)}`;
    case 'F':
      return `${d.getFullYear()}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)}`;
    case 'H':
      return pad(d.getHours(), 2);
    case 'I':
      return pad(hour12, 2);
    case 'j':
      return pad(dayOfYear(d), 3);
    case 'm':
      return pad(d.getMonth() + 1, 2);
    case 'M':
      return pad(d.getMinutes(), 2);
    case 'p':
      return d.getHours() < 12 ? 'AM' : 'PM';
    case 'S':
      return pad(d.getSeconds(), 2);
    case 'f':
      // Python's microseconds; a Date only knows milliseconds.
      return pad(d.getMilliseconds() * 1000, 6);
    case 's':
      return String(Math.floor(d.getTime() / 1000));
    case 'T':
    case 'X':
      return `${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}`;
    case 'u':
      return String(d.getDay() === 0 ? 7 : d.getDay());
    case 'U':
      return pad(weekOfYear(d, 0), 2);
    case 'w':
      return String(d.getDay());
    case 'W':
      return pad(weekOfYear(d, 1), 2);
    case 'y':
      return pad(d.getFullYear() % 100, 2);
    case 'Y':
      return String(d.getFullYear());
    case 'z':
      return tzOffset(d);
    case 'Z':
      return tzName(d);
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case '%':
      return '%';
    default:
      return `%${directive}`;
  }
}
