// The first schema: what the annotator path needs to claim, pull, harvest and publish a batch offline.
import type { Database } from 'better-sqlite3';

export const version = 1;
export const name = 'initial';

export function up(db: Database): void {
  db.exec(`
    -- batches: one row per batch this app has claimed (or tried to). id = "project/region/batch",
    -- the same triple as the S3 keys projects/P/batches/R/B/. status follows the local lifecycle:
    --   claimed     claim object written in S3 (claim_etag is its ETag, lease_until its lease end)
    --   pulling     tasks.jsonl and assets are being downloaded into the cache folder
    --   ready       everything local; Prodigy can start
    --   annotating  Prodigy is running on it
    --   submitting  the submission manifest is queued in the outbox
    --   submitted   S3 confirmed the submission
    --   failed      the last step failed; error says why (the row is kept so nothing is forgotten)
    -- manifest_json is batch.json as read from S3 (tasks count, sha256 of tasks.jsonl, assets, ...).
    -- Times are ISO-8601 UTC strings ("2025-01-31T12:00:00.000Z"), which sort as text.
    CREATE TABLE batches (
      id            TEXT PRIMARY KEY,
      project       TEXT NOT NULL,
      region        TEXT NOT NULL,
      batch         TEXT NOT NULL,
      status        TEXT NOT NULL CHECK (status IN ('claimed','pulling','ready','annotating','submitting','submitted','failed')),
      claim_etag    TEXT,
      lease_until   TEXT,
      manifest_json TEXT,
      tasks_total   INTEGER CHECK (tasks_total IS NULL OR tasks_total >= 0),
      pulled_at     TEXT,
      last_sync_at  TEXT,
      error         TEXT,
      created_at    TEXT NOT NULL,
      updated_at    TEXT NOT NULL,
      CHECK (id = project || '/' || region || '/' || batch)
    ) STRICT;
    CREATE INDEX batches_by_project_region ON batches (project, region, status);

    -- answers: every answer harvested from Prodigy, one row per (batch, task, annotator); the latest
    -- answer wins. A row changed after it was published gets revision + 1 and published_chunk = NULL,
    -- so the next chunk carries the new version (chunks in S3 are immutable: consumers take, per task
    -- and annotator, the row with the highest revision). task_hash/input_hash are Prodigy's
    -- _task_hash/_input_hash (signed 32-bit integers); content_json is the whole example as Prodigy
    -- exported it. published_chunk is the S3 key of the results chunk this revision was sealed into; that
    -- chunk's outbox job is queued in the same transaction (sealChunk), so the outbox delivers it.
    CREATE TABLE answers (
      batch_id        TEXT NOT NULL REFERENCES batches (id) ON DELETE RESTRICT,
      task_hash       INTEGER NOT NULL,
      input_hash      INTEGER NOT NULL,
      annotator       TEXT NOT NULL,
      answer          TEXT NOT NULL CHECK (answer IN ('accept','reject','ignore')),
      content_json    TEXT NOT NULL,
      revision        INTEGER NOT NULL DEFAULT 1,
      harvested_at    TEXT NOT NULL,
      updated_at      TEXT NOT NULL,
      published_chunk TEXT,
      PRIMARY KEY (batch_id, task_hash, annotator)
    ) STRICT;
    -- publishing asks "what has not reached S3 yet" per batch and annotator.
    CREATE INDEX answers_unpublished ON answers (batch_id, annotator, harvested_at) WHERE published_chunk IS NULL;

    -- outbox: every write to S3 that must survive a crash or a week offline. (kind, target_key) is
    -- unique, so enqueueing the same content-addressed object twice is a no-op. The payload is either
    -- a file on disk (payload_path, for chunks) or inline JSON (payload_json, for small manifests);
    -- sha256 is what S3 must confirm before the job is done. state:
    --   queued          waiting; next_attempt_at says when it may run (back-off after a failure)
    --   active          a worker is uploading it right now (reset to queued at start: crash recovery)
    --   done            S3 confirmed the checksum
    --   failed          gave up after retries; kept with last_error so a person can retry it
    --   needs-attention cannot succeed without a person (access denied, claim lost, ...)
    CREATE TABLE outbox (
      id              INTEGER PRIMARY KEY,
      kind            TEXT NOT NULL,
      batch_id        TEXT REFERENCES batches (id) ON DELETE RESTRICT,
      target_key      TEXT NOT NULL,
      payload_path    TEXT,
      payload_json    TEXT,
      sha256          TEXT NOT NULL CHECK (length(sha256) = 64),
      state           TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued','active','done','failed','needs-attention')),
      attempts        INTEGER NOT NULL DEFAULT 0,
      next_attempt_at TEXT NOT NULL,
      last_error      TEXT,
      created_at      TEXT NOT NULL,
      updated_at      TEXT NOT NULL,
      UNIQUE (kind, target_key),
      CHECK ((payload_path IS NULL) <> (payload_json IS NULL))
    ) STRICT;
    CREATE INDEX outbox_runnable ON outbox (state, next_attempt_at);
    CREATE INDEX outbox_by_batch ON outbox (batch_id) WHERE batch_id IS NOT NULL;

    -- kv: small app-local settings and cursors (e.g. last listing marker); values are text (JSON if structured).
    CREATE TABLE kv (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;
  `);
}
