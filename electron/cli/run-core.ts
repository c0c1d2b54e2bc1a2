// CLI commands go through the same core and contract as the app, so both report the same results and errors.
import type { CommandName, CommandRequest, CommandResponse } from '../../shared/api.ts';
import { FerryError } from '../../shared/result.ts';
import { createCore, type Core } from '../host/core.ts';
import { ferryVersion } from './version.ts';

export function cliCore(configPath: string): Core {
  return createCore({ configPath, host: 'cli', version: ferryVersion() });
}

export async function invoke<K extends CommandName>(core: Core, name: K, request: CommandRequest<K>): Promise<CommandResponse<K>> {
  const result = await core.dispatch(name, request);
  if (!result.ok) throw new FerryError(result.error.code, result.error.message, result.error.detail);
  return result.value as CommandResponse<K>;
}
