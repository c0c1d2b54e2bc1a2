// Helpers shared by CLI commands that need the workspace or name a local batch.
import { FerryError } from '../../shared/result.ts';
import type { Core } from '../host/core.ts';

// Accepts a full id "project/region/batch" or just the batch part when it is unique on this computer.
export async function resolveBatchId(core: Core, given: string | undefined, usage: string): Promise<string> {
  if (!given) throw new FerryError('invalid-request', `Name the batch. Usage: ${usage}`);
  if (given.split('/').length === 3) return given;
  const ws = await core.workspaces.get();
  const matches = ws.store.listBatches().filter((b) => b.batch === given || b.id.endsWith(`/${given}`));
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length === 0) throw new FerryError('not-found', `There is no batch "${given}" on this computer. \`ferry status\` lists them.`);
  throw new FerryError('invalid-request', `"${given}" matches several batches (${matches.map((m) => m.id).join(', ')}); give the full id.`);
}

export function csv(value: unknown, flag: string): string[] {
  if (typeof value !== 'string' || value.trim() === '') throw new FerryError('invalid-request', `${flag} needs a comma-separated list, e.g. ${flag} A,B.`);
  return value.split(',').map((v) => v.trim()).filter((v) => v.length > 0);
}

export function positiveHours(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const hours = Number(value);
  if (!(hours > 0)) throw new FerryError('invalid-request', `${flag} must be a positive number of hours, not "${String(value)}".`);
  return hours;
}

export function positiveInt(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new FerryError('invalid-request', `${flag} must be a whole number of at least 1, not "${String(value)}".`);
  return n;
}
