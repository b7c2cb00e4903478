/**
 * `circusctl listen`: prints every event as Python 3 circusctl does,
 * `b'<topic>': b'<body>'`, until interrupted (then exit 1).
 */
import type { ClientCurve } from '../../protocol/curve';
import { CircusSubscriber } from '../../protocol/subscriber';
import { pyBytesRepr } from '../../config/python';
import type { CtlIo } from './session';

/** Subscribes (with CURVE when `curve` is given) and prints until `interrupt` fires. Returns the exit status. */
export async function runListen(
  endpoint: string,
  topics: readonly string[],
  io: CtlIo,
  interrupt: AbortSignal,
  curve?: ClientCurve,
): Promise<number> {
  const sub = new CircusSubscriber({ endpoint, topics, curve });
  try {
    sub.connect();
  } catch (error) {
    sub.close();
    io.err(`circusctl: cannot connect to '${endpoint}': ${(error as Error).message}\n`);
    return 1;
  }
  const onAbort = (): void => sub.close();
  interrupt.addEventListener('abort', onAbort, { once: true });
  if (interrupt.aborted) sub.close();
  try {
    for await (const [topic, body] of sub) io.out(`${pyBytesRepr(topic)}: ${pyBytesRepr(body)}\n`);
  } finally {
    interrupt.removeEventListener('abort', onAbort);
    sub.close();
  }
  return interrupt.aborted ? 1 : 0;
}
