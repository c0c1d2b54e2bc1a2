// The batch ledger (projects/P/ledger/SEQ.json): every run that creates or retires batches appends one entry, created
// once with If-None-Match at the next free number. A creator reads every entry below that number first, so two creators
// racing for the same number cannot both reserve an item: the loser gets 412, reads the winner's entry and plans again.
import { randomBytes } from 'node:crypto';
import { LedgerEntrySchema, type LedgerEntry } from '../../shared/lead.ts';
import { FerryError } from '../../shared/result.ts';
import { ledgerEntryKey, ledgerPrefix, parseLedgerKey } from '../../shared/s3-layout.ts';
import type { LeadIndexStore, LedgerRow } from '../store/lead-index.ts';
import { getText, listKeys, putObjectOnce } from '../s3/objects.ts';
import type { S3Target } from '../projects/projects.ts';
import { mapLimit } from './map-limit.ts';

export type LedgerState = { readonly entries: readonly LedgerEntry[]; readonly nextSeq: number; readonly fetched: number };

function parseEntry(body: string, where: string): LedgerEntry {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (error) {
    throw new FerryError('malformed-input', `The ledger entry ${where} is not valid JSON (${(error as Error).message}). Ferry never writes such an entry; restore it from the bucket's versions or ask for help.`);
  }
  const parsed = LedgerEntrySchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`);
    throw new FerryError('malformed-input', `The ledger entry ${where} does not have the expected shape: ${issues.join('; ')}.`);
  }
  return parsed.data;
}

// Entries are immutable, so a local copy is read from S3 once; a run lists the ledger and GETs only new entries.
export async function readLedger(target: S3Target, project: string, index?: LeadIndexStore, signal?: AbortSignal): Promise<LedgerState> {
  const cached = new Map((index?.ledgerEntries(target.bucket, project) ?? []).map((r) => [r.key, r]));
  const listed: { key: string; seq: number }[] = [];
  for await (const o of listKeys(target.client, target.bucket, ledgerPrefix(target.prefix, project), signal ? { signal } : {})) {
    const ref = parseLedgerKey(target.prefix, o.key);
    if (ref) listed.push({ key: o.key, seq: ref.seq });
  }
  const missing = listed.filter((l) => !cached.has(l.key));
  const fetchedRows = await mapLimit(missing, 8, async (l): Promise<LedgerRow> => ({ key: l.key, seq: l.seq, body: (await getText(target.client, target.bucket, l.key, signal ? { signal } : {})).text }), signal);
  const fetchedByKey = new Map(fetchedRows.map((r) => [r.key, r]));
  const entries = [...listed.map((l) => cached.get(l.key) ?? fetchedByKey.get(l.key)!)].sort((a, b) => a.seq - b.seq).map((r) => {
    const entry = parseEntry(r.body, `s3://${target.bucket}/${r.key}`);
    if (entry.seq !== r.seq || entry.project !== project) throw new FerryError('malformed-input', `The ledger entry s3://${target.bucket}/${r.key} says it is entry ${entry.seq} of "${entry.project}"; it is out of place.`);
    return entry;
  });
  index?.putLedgerEntries(target.bucket, project, fetchedRows);
  const nextSeq = listed.reduce((max, l) => Math.max(max, l.seq + 1), 0);
  return { entries, nextSeq, fetched: fetchedRows.length };
}

export function newLedgerEntry(fields: Omit<LedgerEntry, 'kind' | 'version' | 'nonce' | 'createdAt'> & { readonly createdAt?: string }): LedgerEntry {
  return LedgerEntrySchema.parse({ kind: 'ferry.ledger', version: 1, nonce: randomBytes(8).toString('hex'), createdAt: new Date().toISOString(), ...fields });
}

// True when this entry now holds its number; false when another creator took it first (read the ledger again).
export async function appendLedgerEntry(target: S3Target, entry: LedgerEntry, index?: LeadIndexStore, signal?: AbortSignal): Promise<boolean> {
  const key = ledgerEntryKey(target.prefix, entry.project, entry.seq);
  const body = JSON.stringify(entry, null, 2);
  try {
    await putObjectOnce(target.client, target.bucket, key, body, { contentType: 'application/json', ...(signal ? { signal } : {}) });
  } catch (error) {
    if (error instanceof FerryError && error.code === 'conflict') return false;
    throw error;
  }
  index?.putLedgerEntries(target.bucket, entry.project, [{ key, seq: entry.seq, body }]);
  return true;
}
