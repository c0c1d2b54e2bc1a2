// "Keep N batches ready": while online, claim and pull batches ahead so that the next one is already on this
// computer when the current one is done offline. A batch counts as ahead when it is claimed, local, not open in
// Prodigy, not started (no answers) and still ours.
import { FerryError } from '../../shared/result.ts';
import type { Batch, Store } from '../store/store.ts';

export const KEEP_READY_LEASE = 'keep-ready';
// After "no batches left", ask S3 again only this much later (or after the next claim or submit).
export const DEFAULT_KEEP_READY_RETRY_MS = 15 * 60_000;

const AHEAD_STATUSES = new Set<Batch['status']>(['claimed', 'pulling', 'ready', 'failed']);

export function batchesAhead(store: Store, open: ReadonlySet<string>): Batch[] {
  return store.listBatches().filter((b) => AHEAD_STATUSES.has(b.status) && b.claimState === 'held' && !open.has(b.id) && store.countAnswers(b.id).total === 0);
}

export type KeepReadyOptions = {
  readonly store: Store;
  readonly want: number;
  readonly open: ReadonlySet<string>;
  readonly owner: string; // this process, for the advisory lease against a second Ferry topping up at once
  readonly claimNext: (signal?: AbortSignal) => Promise<unknown>;
  readonly signal?: AbortSignal;
};

export type KeepReadyResult = { readonly claimed: number; readonly ahead: number; readonly exhausted: boolean; readonly skipped: boolean };

export async function keepBatchesReady(options: KeepReadyOptions): Promise<KeepReadyResult> {
  const missing = () => options.want - batchesAhead(options.store, options.open).length;
  // Each count lists every batch and its answers: counted once for both early returns.
  const aheadNow = batchesAhead(options.store, options.open).length;
  if (options.want <= 0 || options.want - aheadNow <= 0) return { claimed: 0, ahead: aheadNow, exhausted: false, skipped: false };
  if (!options.store.takeLease(KEEP_READY_LEASE, options.owner, 10 * 60_000)) return { claimed: 0, ahead: aheadNow, exhausted: false, skipped: true };
  let claimed = 0;
  let exhausted = false;
  try {
    // At most `want` claims per round, and none more once a claim added nothing (so a failure never loops).
    for (let round = 0; round < options.want && missing() > 0 && !options.signal?.aborted; round += 1) {
      const before = options.store.listBatches().length;
      try {
        await options.claimNext(options.signal);
      } catch (error) {
        if (error instanceof FerryError && error.code === 'no-batches-left') {
          exhausted = true;
          break;
        }
        // A claimed batch whose pull failed stays "ahead" (Open retries the pull); anything else ends this round.
        if (options.store.listBatches().length === before) throw error;
      }
      claimed += 1;
    }
  } finally {
    options.store.releaseLease(KEEP_READY_LEASE, options.owner);
  }
  return { claimed, ahead: batchesAhead(options.store, options.open).length, exhausted, skipped: false };
}

// The sync service's side: when to top up (wanted after start, a claim, open or submit, coming online; after "none
// left" only once retryMs has passed), one run at a time, beside the rounds (a pull can take a while).
export function createKeepReadyRunner(options: {
  readonly owner: string;
  readonly retryMs: number;
  readonly phase: (event: { phase: 'keep-ready'; outcome?: string; detail?: string }) => void;
  readonly notice: (text: string) => void;
}) {
  let wanted = true;
  let after = 0;
  let running: Promise<void> | null = null;
  return {
    // Something happened that may change how many batches are ahead.
    want(now = true): void {
      wanted = true;
      if (now) after = 0;
    },
    // When the next run is due (epoch ms), or null when none is wanted.
    dueAt(want: number): number | null {
      return want > 0 && wanted ? after : null;
    },
    start(run: Omit<KeepReadyOptions, 'owner'>, done: () => void): void {
      if (run.want <= 0 || running || !wanted || Date.now() < after) return;
      wanted = false;
      options.phase({ phase: 'keep-ready', detail: `want ${run.want}` });
      running = keepBatchesReady({ ...run, owner: options.owner })
        .then((result) => {
          options.phase({ phase: 'keep-ready', outcome: result.exhausted ? 'exhausted' : result.skipped ? 'skipped' : 'done', detail: `claimed ${result.claimed}, ahead ${result.ahead}` });
          if (result.exhausted) {
            // None left now; the lead may add some: look again later (or at the next claim, open or submit).
            wanted = true;
            after = Date.now() + options.retryMs;
          }
        })
        .catch((error: unknown) => {
          if (!(error instanceof FerryError && error.code === 'cancelled')) options.notice(`Getting the next batches ready failed: ${(error as Error).message}`);
        })
        .finally(() => {
          running = null;
          done();
        });
    },
    async settled(): Promise<void> {
      await running?.catch(() => undefined);
    },
  };
}
