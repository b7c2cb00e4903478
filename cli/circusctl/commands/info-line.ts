/** The one-line rendering of a process info object (stats, dstats). */
import { field } from '../command';
import { pyStrField } from '../py-repr';

const KEYS = ['cmdline', 'username', 'nice', 'mem_info1', 'mem_info2', 'cpu', 'mem', 'ctime'] as const;

/** `<pid>  <cmdline> <username> <nice> <mem_info1> <mem_info2> <cpu> <mem> <ctime>`. */
export function infoLine(info: Record<string, unknown>): string {
  const pid = pyStrField('pid', field(info, 'pid'));
  return `${pid}  ${KEYS.map((k) => pyStrField(k, field(info, k))).join(' ')}`;
}
