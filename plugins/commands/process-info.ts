/**
 * What the `stats`/`dstats` commands share about process records. The
 * sampling itself is the kernel's ProcessSampler (implemented in
 * plugins/stats, registered by the cli), the one the stats streamer uses.
 */
export { bytes2human, formatCtime } from '../../protocol/stats-topics';
export type { ProcessInfo } from '../../kernel';

/** The answer for a pid that vanished between listing and sampling (spec/protocol.md 2.0). */
export const NO_SUCH_PROCESS = 'No such process (stopped?)';
