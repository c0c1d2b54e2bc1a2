// Harvests every few seconds while Prodigy runs: runs never overlap, a failed run is logged and the loop goes on,
// and stop() does one last harvest so answers given just before Prodigy stopped are kept too.
import { FerryError } from '../../shared/result.ts';
import { logProdigy } from '../prodigy/prodigy-log.ts';
import { harvestAnswers, MalformedExportError, type HarvestOptions, type HarvestResult } from './harvest.ts';

export type HarvestLoopOptions = HarvestOptions & {
  readonly intervalMs?: number; // pause between the end of one run and the start of the next; default 5 s
  readonly onHarvest?: (result: HarvestResult) => void;
  readonly onError?: (error: FerryError) => void;
};

export type HarvestLoop = {
  // Stops the timer, waits for a run in flight, then harvests one final time. Idempotent.
  stop(): Promise<void>;
  // Harvests right away (after any run in flight) and restarts the interval; rejects if this run fails.
  now(): Promise<HarvestResult>;
};

export const DEFAULT_HARVEST_INTERVAL_MS = 5000;

function asFerryError(error: unknown): FerryError {
  if (error instanceof FerryError) return error;
  return new FerryError('internal', `Harvesting answers failed: ${error instanceof Error ? error.message : String(error)}`, error instanceof Error ? error.stack : undefined);
}

export function startHarvestLoop(options: HarvestLoopOptions): HarvestLoop {
  const intervalMs = options.intervalMs ?? DEFAULT_HARVEST_INTERVAL_MS;
  let tail: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let stopping: Promise<void> | undefined;

  function notify(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      logProdigy({ operation: 'harvest', event: 'failed', message: `harvest listener threw: ${asFerryError(error).message}` });
    }
  }

  async function harvestOnce(): Promise<HarvestResult> {
    try {
      const result = await harvestAnswers(options);
      notify(() => options.onHarvest?.(result));
      return result;
    } catch (error) {
      const failure = asFerryError(error);
      // The good lines of a partly malformed export were recorded: that is still progress to report.
      if (failure instanceof MalformedExportError) notify(() => options.onHarvest?.(failure.result));
      logProdigy({ operation: 'harvest', event: 'failed', message: `${options.batchId}: ${failure.code}: ${failure.message}` });
      notify(() => options.onError?.(failure));
      throw failure;
    }
  }

  function schedule(): void {
    if (stopped || options.signal?.aborted) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      enqueue().catch(() => undefined); // already logged and reported; the loop goes on
    }, intervalMs);
    timer.unref();
  }

  // Chains runs so two never overlap; each run re-arms the timer when it ends.
  function enqueue(): Promise<HarvestResult> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const run = tail.then(harvestOnce);
    const settled: Promise<unknown> = run
      .catch(() => undefined)
      .finally(() => {
        if (tail === settled) schedule(); // only the newest run re-arms the timer
      });
    tail = settled;
    return run;
  }

  options.signal?.addEventListener(
    'abort',
    () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
    { once: true },
  );
  enqueue().catch(() => undefined); // harvest at once: answers saved before a crash or restart come in first

  return {
    now() {
      if (stopped) return Promise.reject(new FerryError('cancelled', `The harvest loop of ${options.batchId} has stopped.`));
      return enqueue();
    },
    stop() {
      stopping ??= (async () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        timer = undefined;
        if (options.signal?.aborted) {
          await tail;
          return;
        }
        const final = tail.then(harvestOnce);
        tail = final.catch(() => undefined);
        await tail;
      })();
      return stopping;
    },
  };
}
