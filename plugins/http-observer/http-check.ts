import * as http from 'node:http';
import * as https from 'node:https';

/** Tornado's code for a request that got no HTTP answer (connection failure, timeout). */
export const NO_RESPONSE = 599;
/** Redirects followed before the last 3xx counts as the answer (Tornado's default). */
export const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The outcome of one check: a 2xx after redirects, or the code that failed it. */
export type CheckResult = { readonly ok: true; readonly status: number } | { readonly ok: false; readonly code: number; readonly reason: string };

/** Throws unless `url` is an absolute http(s) URL (checked once, at plugin start). */
export function checkableUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${url} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`${url}: only http and https are supported`);
  return parsed;
}

interface Answer {
  readonly status: number;
  readonly location: string | undefined;
}

/** One GET without following redirects; the body is read to the end (as Tornado does before answering). */
function getOnce(url: URL, signal: AbortSignal): Promise<Answer> {
  const get = url.protocol === 'https:' ? https.get : http.get;
  return new Promise((resolve, reject) => {
    // No agent: no pooled socket outlives the check.
    const req = get(url, { agent: false, signal }, (res) => {
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
      res.resume();
    });
    req.on('error', reject);
  });
}

/**
 * GETs `url` following up to {@link MAX_REDIRECTS} redirects, the whole
 * exchange bounded by `timeoutSeconds` (Tornado's `request_timeout`).
 * Resolves ok for a final 2xx; otherwise with the final status, or
 * {@link NO_RESPONSE} when no answer came. `abort` cancels it (plugin stop).
 */
export async function checkUrl(url: URL, timeoutSeconds: number, abort?: AbortSignal): Promise<CheckResult> {
  const timeout = AbortSignal.timeout(Math.max(1, Math.round(timeoutSeconds * 1000)));
  const signal = abort ? AbortSignal.any([timeout, abort]) : timeout;
  let current = url;
  try {
    for (let hop = 0; ; hop += 1) {
      const answer = await getOnce(current, signal);
      if (REDIRECTS.has(answer.status) && answer.location && hop < MAX_REDIRECTS) {
        current = new URL(answer.location, current);
        continue;
      }
      if (answer.status >= 200 && answer.status < 300) return { ok: true, status: answer.status };
      return { ok: false, code: answer.status, reason: `HTTP ${answer.status}` };
    }
  } catch (err) {
    const reason = timeout.aborted ? `timeout after ${timeoutSeconds}s` : err instanceof Error ? err.message : String(err);
    return { ok: false, code: NO_RESPONSE, reason };
  }
}
