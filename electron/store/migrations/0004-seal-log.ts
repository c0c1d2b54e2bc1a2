// Sealing by position instead of by row (issue 4's publish budget): each answer gets a place in its (batch, annotator)
// change log, and a chunk seals a range of that log by moving one watermark, instead of rewriting every answer row it
// holds. The meta fields a chunk line needs are kept beside the example, so sealing parses no JSON.
import type { Database } from 'better-sqlite3';

export const version = 4;
export const name = 'seal-log';

export function up(db: Database): void {
  db.exec(`
    -- answers, rebuilt (SQLite cannot change a column's constraints in place). New columns:
    --   change_seq  the answer's place in its (batch, annotator) change log: recording or changing an answer gives it
    --               max + 1, so the log is the order in which answers were given or changed. An answer is sealed into
    --               a chunk when change_seq <= seal_marks.sealed_through; a change after that moves it past the mark.
    --   task_id, source_key  meta.task_id / meta.source_key when they are strings (what a chunk line names), else NULL.
    --   plain       1 when the example is a JSON object without a "_ferry" key of its own and every string in it is
    --               well-formed UTF-16, so a chunk line is the stored JSON with "_ferry" appended (SQLite can build it);
    --               0 takes the slower parse-and-serialise path.
    -- published_chunk is gone: which chunk holds a revision is in the chunks themselves (each line names its task and
    -- revision); locally only "sealed or not" matters, and that is the watermark.
    CREATE TABLE answers_v4 (
      batch_id      TEXT NOT NULL REFERENCES batches (id) ON DELETE RESTRICT,
      task_hash     INTEGER NOT NULL,
      input_hash    INTEGER NOT NULL,
      annotator     TEXT NOT NULL,
      answer        TEXT NOT NULL CHECK (answer IN ('accept','reject','ignore')),
      content_json  TEXT NOT NULL,
      task_id       TEXT,
      source_key    TEXT,
      plain         INTEGER NOT NULL CHECK (plain IN (0, 1)),
      revision      INTEGER NOT NULL DEFAULT 1,
      harvested_at  TEXT NOT NULL,
      updated_at    TEXT NOT NULL,
      change_seq    INTEGER NOT NULL CHECK (change_seq >= 1),
      PRIMARY KEY (batch_id, task_hash, annotator)
    ) STRICT;

    -- seal_marks: per (batch, annotator), the change_seq up to which every answer is sealed into a queued chunk.
    -- Only ever moves forward; a seal moves it from the value it read to the last change_seq of its chunk (a
    -- compare-and-set, so two processes sealing at once cannot both win).
    CREATE TABLE seal_marks (
      batch_id       TEXT NOT NULL REFERENCES batches (id) ON DELETE RESTRICT,
      annotator      TEXT NOT NULL,
      sealed_through INTEGER NOT NULL CHECK (sealed_through >= 0),
      PRIMARY KEY (batch_id, annotator)
    ) STRICT, WITHOUT ROWID;

    -- Existing answers keep their order: sealed ones first (by chunk, then as recorded), then the unsealed ones.
    INSERT INTO answers_v4 (batch_id, task_hash, input_hash, annotator, answer, content_json, task_id, source_key, plain,
                            revision, harvested_at, updated_at, change_seq)
    SELECT a.batch_id, a.task_hash, a.input_hash, a.annotator, a.answer, a.content_json,
           CASE WHEN json_type(a.content_json, '$.meta.task_id') = 'text' THEN json_extract(a.content_json, '$.meta.task_id') END,
           CASE WHEN json_type(a.content_json, '$.meta.source_key') = 'text' THEN json_extract(a.content_json, '$.meta.source_key') END,
           -- "\\ud" in the stored JSON is an escaped lone surrogate (or a backslash before "ud"): such rows take the slow path.
           json_type(a.content_json) = 'object' AND json_type(a.content_json, '$._ferry') IS NULL AND instr(a.content_json, '\\ud') = 0,
           a.revision, a.harvested_at, a.updated_at,
           row_number() OVER (PARTITION BY a.batch_id, a.annotator
                              ORDER BY a.published_chunk IS NULL, o.seq, a.harvested_at, a.rowid)
      FROM answers AS a
      LEFT JOIN outbox AS o ON o.kind = 'result-chunk' AND o.target_key = a.published_chunk;

    INSERT INTO seal_marks (batch_id, annotator, sealed_through)
    SELECT batch_id, annotator, count(*) FROM answers WHERE published_chunk IS NOT NULL GROUP BY batch_id, annotator;

    DROP TABLE answers;
    ALTER TABLE answers_v4 RENAME TO answers;
    -- Sealing reads the log after the mark in order; counting what waits is a range of the same index.
    CREATE UNIQUE INDEX answers_change_log ON answers (batch_id, annotator, change_seq);
    -- The batch view's accept/reject/ignore counts come from this index alone, not from the examples' pages.
    CREATE INDEX answers_by_value ON answers (batch_id, answer);

    -- bytes: a result chunk's size, so the submission marker lists its chunks (key, SHA-256, answers, bytes) from the
    -- outbox alone, and a chunk's file can be removed once S3 confirmed it. NULL for chunks queued before this migration:
    -- the marker reads their files, which are kept.
    ALTER TABLE outbox ADD COLUMN bytes INTEGER CHECK (bytes IS NULL OR bytes >= 0);
  `);
}
