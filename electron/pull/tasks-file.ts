// Reads a pulled tasks.jsonl. A bad line refuses the whole batch: it passed its checksum, so the lead's file itself
// is wrong, and annotating part of a batch would publish counts that never add up to the manifest's.
import type { BatchManifest } from '../../shared/batch.ts';
import { FerryError } from '../../shared/result.ts';

const REFUSED =
  'The batch was refused as a whole, because annotating only part of it would publish answers that never add up to its manifest; ask your team lead to recreate it.';

export function parseTasks(text: string, name: string, manifest: BatchManifest): Record<string, unknown>[] {
  const tasks: Record<string, unknown>[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new FerryError('malformed-input', `${name} line ${i + 1} is not valid JSON (${(error as Error).message}). ${REFUSED}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new FerryError('malformed-input', `${name} line ${i + 1} is not a JSON object. ${REFUSED}`);
    }
    tasks.push(value as Record<string, unknown>);
  }
  if (tasks.length !== manifest.tasks.count) {
    throw new FerryError('malformed-input', `${name} holds ${tasks.length} tasks but its manifest says ${manifest.tasks.count}. ${REFUSED}`);
  }
  return tasks;
}
