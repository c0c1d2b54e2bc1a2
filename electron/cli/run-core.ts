// CLI commands go through the same core and contract as the app, so both report the same results and errors.
import type { CommandName, CommandRequest, CommandResponse } from '../../shared/api.ts';
import { FerryError } from '../../shared/result.ts';
import { createCore, type Core } from '../host/core.ts';
import type { PhaseEvent } from '../sync/sync-service.ts';
import { syncTuningFromEnv } from '../sync/tuning.ts';
import { ferryVersion } from './version.ts';

// One JSON line per sync step on stderr when FERRY_TRACE_SYNC=1 (for fault tests and for support).
function traceSync(env: NodeJS.ProcessEnv): ((event: PhaseEvent) => void) | undefined {
  if (env.FERRY_TRACE_SYNC !== '1') return undefined;
  return (event) => process.stderr.write(`${JSON.stringify({ trace: 'sync', at: new Date().toISOString(), ...event })}\n`);
}

// One-shot commands run no background sync (nothing may keep the process alive); `ferry annotate` does.
export function cliCore(configPath: string, options: { autoSync?: boolean } = {}): Core {
  const onPhase = traceSync(process.env);
  const tuning = syncTuningFromEnv(process.env);
  return createCore({ configPath, host: 'cli', version: ferryVersion(), sync: { ...tuning, autoSync: options.autoSync ?? false, ...(onPhase ? { onPhase } : {}) } });
}

export async function invoke<K extends CommandName>(core: Core, name: K, request: CommandRequest<K>): Promise<CommandResponse<K>> {
  const result = await core.dispatch(name, request);
  if (!result.ok) throw new FerryError(result.error.code, result.error.message, result.error.detail);
  return result.value as CommandResponse<K>;
}
