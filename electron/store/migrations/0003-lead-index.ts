// The team lead's incremental index (issue 5): what the last refresh read from S3, so the next one only reads what changed.
import type { Database } from 'better-sqlite3';

export const version = 3;
export const name = 'lead-index';

export function up(db: Database): void {
  db.exec(`
    -- lead_index: one row per thing the lead's app read from S3 and need not read again, by kind:
    --   claim, submission, heartbeat  small markers the progress view reads (bucket, full S3 key). etag is the ETag
    --                                 body_json was read at; a refresh GETs a key again only when its listed ETag
    --                                 differs, and deletes rows whose key is no longer listed. project/region/batch/
    --                                 annotator are parsed from the key. (Listing-only facts — which batches exist,
    --                                 review verdicts — are not stored: every refresh lists them anyway.)
    --   ledger                        a batch ledger entry (projects/P/ledger/SEQ.json, created once), its exact text
    --   manifest                      the item ids (JSON array) of a batch made outside the ledger, at that ETag
    --   retire-outcome                "retired" or "kept" for a ledger retirement candidate; key = P/SEQ/R/B. Final.
    --   pool-object                   a raw file of a pool prefix as last listed; bucket = the prefix URI, body = size
    --   pool-cursor                   where the next incremental listing of a pool prefix starts; bucket = the prefix
    --                                 URI, key = '', body = {"lastKey", "fullScanAt"}
    -- Keys sort by S3 key inside (kind, bucket), so one region's claims are a range scan of the primary key.
    CREATE TABLE lead_index (
      kind      TEXT NOT NULL CHECK (kind IN ('claim','submission','heartbeat','ledger','manifest','retire-outcome','pool-object','pool-cursor')),
      bucket    TEXT NOT NULL,
      key       TEXT NOT NULL,
      project   TEXT NOT NULL DEFAULT '',
      region    TEXT NOT NULL DEFAULT '',
      batch     TEXT,
      annotator TEXT,
      etag      TEXT NOT NULL DEFAULT '',
      seq       INTEGER,
      body_json TEXT NOT NULL,
      PRIMARY KEY (kind, bucket, key)
    ) STRICT, WITHOUT ROWID;
  `);
}
