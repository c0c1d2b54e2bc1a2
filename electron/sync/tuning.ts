// FERRY_SYNC_TUNING: the sync service's intervals for a child process (fault tests, field debugging), as JSON, e.g.
// {"publish":{"everyAnswers":50,"everyMs":10000},"idlePollMs":500,"probeBackoffMs":{"base":200,"max":2000}}.
import { z } from 'zod';
import { FerryError } from '../../shared/result.ts';
import type { SyncServiceOptions } from './sync-service.ts';

const ms = z.number().int().nonnegative();

const TuningSchema = z
  .object({
    publish: z.object({ everyAnswers: z.number().int().positive(), everyMs: ms, maxChunkAnswers: z.number().int().positive() }).partial().strict(),
    concurrency: z.number().int().positive(),
    probeTimeoutMs: ms,
    probeBackoffMs: z.object({ base: ms, max: ms }).strict(),
    idlePollMs: ms,
    claimCheckMs: ms,
    heartbeatMs: ms,
    keepReadyRetryMs: ms,
    eventThrottleMs: ms,
  })
  .partial()
  .strict();

export function syncTuningFromEnv(env: NodeJS.ProcessEnv): Partial<SyncServiceOptions> {
  const raw = env.FERRY_SYNC_TUNING;
  if (raw === undefined || raw.trim() === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new FerryError('config-invalid', `FERRY_SYNC_TUNING is not valid JSON: ${(error as Error).message}.`);
  }
  const parsed = TuningSchema.safeParse(json);
  if (!parsed.success) {
    throw new FerryError('config-invalid', `FERRY_SYNC_TUNING: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(object)'}: ${i.message}`).join('; ')}.`);
  }
  return parsed.data as Partial<SyncServiceOptions>;
}
