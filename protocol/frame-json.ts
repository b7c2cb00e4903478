/**
 * What every pub/sub decoder (events, stats, output) does with a frame: read
 * it as UTF-8 text, and take the body as a JSON object or as foreign traffic.
 */

/** A frame as text (UTF-8). */
export function frameText(frame: string | Uint8Array): string {
  return typeof frame === 'string' ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('utf8');
}

/** The body as a JSON object, or null when it is not JSON or not an object: not a message of ours. */
export function frameJsonObject(body: string | Uint8Array): Record<string, unknown> | null {
  let payload: unknown;
  try {
    payload = JSON.parse(frameText(body));
  } catch {
    return null;
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return null;
  return payload as Record<string, unknown>;
}
