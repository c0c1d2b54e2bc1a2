// Offline-first sync (issue 4): what Ferry knows about each claim, submits waiting for a claim check, rebuilt batches
// that must be compared with S3 before anything is published, and chunk sequence numbers kept as a column.
import type { Database } from 'better-sqlite3';

export const version = 2;
export const name = 'sync';

export function up(db: Database): void {
  db.exec(`
    -- claim_json: our claim object as last written or confirmed in S3 (renewals write a copy of it with a new lease).
    -- claim_state: held    = the claim in S3 still names this annotator (claim_etag is its ETag)
    --              lost    = it names someone else, a newer claim, or is gone; claim_holder says who holds it now and
    --                        claim_note says so in plain words. Work on the batch is still published, marked late.
    --              unknown = not checked since the database was rebuilt; checked before anything is published.
    -- claim_checked_at: when S3 last confirmed the claim's state.
    -- submit_requested_at: Submit was pressed; the marker waits until its chunks can be sealed with the right late flag.
    -- needs_reconcile: 1 after a rebuild, until Ferry compared the batch's answers with the chunks already in S3.
    ALTER TABLE batches ADD COLUMN claim_json TEXT;
    ALTER TABLE batches ADD COLUMN claim_state TEXT NOT NULL DEFAULT 'held' CHECK (claim_state IN ('held','lost','unknown'));
    ALTER TABLE batches ADD COLUMN claim_holder TEXT;
    ALTER TABLE batches ADD COLUMN claim_note TEXT;
    ALTER TABLE batches ADD COLUMN claim_checked_at TEXT;
    ALTER TABLE batches ADD COLUMN submit_requested_at TEXT;
    ALTER TABLE batches ADD COLUMN needs_reconcile INTEGER NOT NULL DEFAULT 0 CHECK (needs_reconcile IN (0, 1));

    -- seq: a result chunk's sequence number (the SEQ of its key), so the next one is max + 1 even after a rebuild
    -- imported chunks found in S3. Chunks queued before this migration get theirs from the key (…/SEQ-SHA256.jsonl).
    ALTER TABLE outbox ADD COLUMN seq INTEGER CHECK (seq IS NULL OR seq >= 0);
    UPDATE outbox SET seq = CAST(substr(target_key, -79, 8) AS INTEGER)
     WHERE kind = 'result-chunk' AND target_key GLOB '*/[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-*.jsonl';
    CREATE INDEX outbox_chunk_seq ON outbox (batch_id, kind, seq) WHERE seq IS NOT NULL;

    -- answers: how many answers a result chunk holds, so "answers waiting" (the status bar, the heartbeat) is a
    -- sum over the outbox instead of a scan of every answer.
    ALTER TABLE outbox ADD COLUMN answers INTEGER CHECK (answers IS NULL OR answers >= 0);
    UPDATE outbox SET answers = (SELECT count(*) FROM answers a WHERE a.published_chunk = outbox.target_key) WHERE kind = 'result-chunk';
  `);
}
