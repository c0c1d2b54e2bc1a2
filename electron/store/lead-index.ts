// The lead's incremental index (migration 0003, table lead_index): typed reads and batched writes, each in one transaction.
import type { Database, Statement } from 'better-sqlite3';

export type LeadObjectKind = 'claim' | 'submission' | 'heartbeat';

export type IndexedObject = {
  readonly key: string;
  readonly project: string;
  readonly region: string;
  readonly kind: LeadObjectKind;
  readonly batch: string | null;
  readonly annotator: string | null;
  readonly etag: string;
  readonly body: unknown;
};

export type LedgerRow = { readonly key: string; readonly seq: number; readonly body: string };
export type RetireOutcome = 'retired' | 'kept';
export type PoolObjectRow = { readonly key: string; readonly etag: string; readonly size: number };
export type PoolCursor = { readonly lastKey: string | null; readonly fullScanAt: string | null };

export interface LeadIndexStore {
  // Every marker of `kind` whose key starts with `keyPrefix` (one region's claims, submissions or heartbeats).
  objectsUnder(kind: LeadObjectKind, bucket: string, keyPrefix: string): Map<string, IndexedObject>;
  applyObjects(bucket: string, upserts: readonly IndexedObject[], deletes: readonly { readonly kind: LeadObjectKind; readonly key: string }[]): void;
  ledgerEntries(bucket: string, project: string): LedgerRow[];
  putLedgerEntries(bucket: string, project: string, rows: readonly LedgerRow[]): void;
  manifestItems(bucket: string, key: string, etag: string): string[] | undefined;
  putManifestItems(bucket: string, key: string, etag: string, items: readonly string[]): void;
  retireOutcomes(bucket: string, project: string): Map<string, RetireOutcome>; // keyed "seq/region/batch"
  putRetireOutcome(bucket: string, project: string, seq: number, region: string, batch: string, outcome: RetireOutcome): void;
  poolObjects(source: string): Map<string, PoolObjectRow>;
  applyPoolObjects(source: string, upserts: readonly PoolObjectRow[], deletes: readonly string[]): void;
  poolCursor(source: string): PoolCursor | undefined;
  setPoolCursor(source: string, cursor: PoolCursor): void;
}

type Row = { kind: string; bucket: string; key: string; project: string; region: string; batch: string | null; annotator: string | null; etag: string; seq: number | null; body_json: string };

export function retireOutcomeKey(seq: number, region: string, batch: string): string {
  return `${seq}/${region}/${batch}`;
}

// Keys starting with `prefix` are exactly those in [prefix, prefix with its last character raised by one).
function upperBound(prefix: string): string {
  if (prefix === '') return '\uffff';
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

// Statements are prepared on first use, so a store opened read-only at another schema still opens.
export function bindLeadIndex(db: Database): LeadIndexStore {
  const cache = new Map<string, Statement>();
  const stmt = (sql: string): Statement => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const upsert = (r: Omit<Row, 'project' | 'region' | 'batch' | 'annotator' | 'etag' | 'seq'> & Partial<Row>) =>
    stmt(
      `INSERT INTO lead_index (kind, bucket, key, project, region, batch, annotator, etag, seq, body_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (kind, bucket, key) DO UPDATE SET project = excluded.project, region = excluded.region, batch = excluded.batch, annotator = excluded.annotator,
         etag = excluded.etag, seq = excluded.seq, body_json = excluded.body_json`,
    ).run(r.kind, r.bucket, r.key, r.project ?? '', r.region ?? '', r.batch ?? null, r.annotator ?? null, r.etag ?? '', r.seq ?? null, r.body_json);
  const remove = (kind: string, bucket: string, key: string) => stmt('DELETE FROM lead_index WHERE kind = ? AND bucket = ? AND key = ?').run(kind, bucket, key);
  const one = (kind: string, bucket: string, key: string) => stmt('SELECT * FROM lead_index WHERE kind = ? AND bucket = ? AND key = ?').get(kind, bucket, key) as Row | undefined;

  const applyObjects = db.transaction((bucket: string, upserts: readonly IndexedObject[], deletes: readonly { kind: LeadObjectKind; key: string }[]) => {
    for (const o of upserts) upsert({ kind: o.kind, bucket, key: o.key, project: o.project, region: o.region, batch: o.batch, annotator: o.annotator, etag: o.etag, body_json: JSON.stringify(o.body) });
    for (const d of deletes) remove(d.kind, bucket, d.key);
  });
  const putLedger = db.transaction((bucket: string, project: string, rows: readonly LedgerRow[]) => {
    for (const r of rows) upsert({ kind: 'ledger', bucket, key: r.key, project, seq: r.seq, body_json: r.body });
  });
  const applyPool = db.transaction((source: string, upserts: readonly PoolObjectRow[], deletes: readonly string[]) => {
    for (const r of upserts) upsert({ kind: 'pool-object', bucket: source, key: r.key, etag: r.etag, body_json: String(r.size) });
    for (const key of deletes) remove('pool-object', source, key);
  });
  return {
    objectsUnder(kind, bucket, keyPrefix) {
      const rows = stmt('SELECT * FROM lead_index WHERE kind = ? AND bucket = ? AND key >= ? AND key < ?').all(kind, bucket, keyPrefix, upperBound(keyPrefix)) as Row[];
      return new Map(rows.map((r) => [r.key, { key: r.key, project: r.project, region: r.region, kind, batch: r.batch, annotator: r.annotator, etag: r.etag, body: JSON.parse(r.body_json) as unknown }]));
    },
    applyObjects: (bucket, upserts, deletes) => applyObjects(bucket, upserts, deletes),
    ledgerEntries(bucket, project) {
      const rows = stmt("SELECT key, seq, body_json FROM lead_index WHERE kind = 'ledger' AND bucket = ? AND project = ? ORDER BY seq").all(bucket, project) as { key: string; seq: number; body_json: string }[];
      return rows.map((r) => ({ key: r.key, seq: r.seq, body: r.body_json }));
    },
    putLedgerEntries: (bucket, project, rows) => putLedger(bucket, project, rows),
    manifestItems(bucket, key, etag) {
      const row = one('manifest', bucket, key);
      return row && row.etag === etag ? (JSON.parse(row.body_json) as string[]) : undefined;
    },
    putManifestItems(bucket, key, etag, items) {
      upsert({ kind: 'manifest', bucket, key, etag, body_json: JSON.stringify(items) });
    },
    retireOutcomes(bucket, project) {
      const rows = stmt("SELECT key, body_json FROM lead_index WHERE kind = 'retire-outcome' AND bucket = ? AND project = ?").all(bucket, project) as { key: string; body_json: string }[];
      return new Map(rows.map((r) => [r.key.slice(project.length + 1), JSON.parse(r.body_json) as RetireOutcome]));
    },
    putRetireOutcome(bucket, project, seq, region, batch, outcome) {
      upsert({ kind: 'retire-outcome', bucket, key: `${project}/${retireOutcomeKey(seq, region, batch)}`, project, region, batch, seq, body_json: JSON.stringify(outcome) });
    },
    poolObjects(source) {
      const rows = stmt("SELECT key, etag, body_json FROM lead_index WHERE kind = 'pool-object' AND bucket = ?").all(source) as { key: string; etag: string; body_json: string }[];
      return new Map(rows.map((r) => [r.key, { key: r.key, etag: r.etag, size: Number(r.body_json) }]));
    },
    applyPoolObjects: (source, upserts, deletes) => applyPool(source, upserts, deletes),
    poolCursor(source) {
      const row = one('pool-cursor', source, '');
      return row ? (JSON.parse(row.body_json) as PoolCursor) : undefined;
    },
    setPoolCursor(source, cursor) {
      upsert({ kind: 'pool-cursor', bucket: source, key: '', body_json: JSON.stringify(cursor) });
    },
  };
}
