// When is a starting Prodigy usable? After it printed "Starting the web server at http://…" AND answered GET /project
// (with our basic auth) with 200 — or never: it exited, timed out, lost its port, or the caller gave up.
import type { EventEmitter } from 'node:events';
import { mentionsAddressInUse } from './loopback-port.ts';
import type { ProdigyExit } from './prodigy-errors.ts';

export const START_LINE = /Starting the web server at\s+(\S+)/i;
const POLL_INTERVAL_MS = 100;
const PROBE_TIMEOUT_MS = 2000;

export type ReadinessInput = {
  readonly baseUrl: string;
  readonly username: string;
  readonly password: string;
  readonly closed: Promise<ProdigyExit>;
  readonly events: EventEmitter; // emits 'line' (line, stream)
  readonly earlierLines: readonly string[]; // printed before we started listening
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
};

export type Readiness =
  | { readonly kind: 'ready' }
  | { readonly kind: 'exited'; readonly exit: ProdigyExit }
  | { readonly kind: 'timeout'; readonly reason: string }
  | { readonly kind: 'port-taken' }
  | { readonly kind: 'cancelled' };

export function basicAuthHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

// One probe of GET /project: the HTTP status, or why there was none.
async function probeProject(input: ReadinessInput): Promise<number | string> {
  try {
    const response = await fetch(`${input.baseUrl}/project`, {
      headers: { authorization: basicAuthHeader(input.username, input.password) },
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.status;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return cause ?? (error as Error).message;
  }
}

export function waitUntilReady(input: ReadinessInput): Promise<Readiness> {
  return new Promise((resolve) => {
    let settled = false;
    let sawStartLine = false;
    let lastProbe: number | string | undefined;
    let pollTimer: NodeJS.Timeout | undefined;

    function finish(outcome: Readiness): void {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (pollTimer) clearTimeout(pollTimer);
      input.events.off('line', onLine);
      input.signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    }
    function timeoutReason(): string {
      if (!sawStartLine) return 'it never printed "Starting the web server at http://…"';
      if (typeof lastProbe === 'number') return `GET /project kept answering HTTP ${lastProbe}`;
      return `GET /project did not answer${lastProbe ? ` (${lastProbe})` : ''}`;
    }
    async function poll(): Promise<void> {
      if (settled) return;
      lastProbe = await probeProject(input);
      if (settled) return;
      if (lastProbe === 200) finish({ kind: 'ready' });
      else pollTimer = setTimeout(() => void poll(), POLL_INTERVAL_MS);
    }
    function onLine(line: string): void {
      if (mentionsAddressInUse([line])) {
        finish({ kind: 'port-taken' });
      } else if (!sawStartLine && START_LINE.test(line)) {
        sawStartLine = true;
        void poll();
      }
    }
    function onAbort(): void {
      finish({ kind: 'cancelled' });
    }

    const deadline = setTimeout(() => finish({ kind: 'timeout', reason: timeoutReason() }), input.timeoutMs);
    input.events.on('line', onLine);
    input.earlierLines.forEach(onLine);
    input.signal?.addEventListener('abort', onAbort, { once: true });
    if (input.signal?.aborted) onAbort();
    void input.closed.then((exit) => finish({ kind: 'exited', exit }));
  });
}
