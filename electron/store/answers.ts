// Answers harvested from Prodigy: idempotent per (batch, task hash, annotator); the latest answer wins.
import type { Database } from 'better-sqlite3';
import { FerryError } from '../../shared/result.ts';

export const ANSWER_VALUES = ['accept', 'reject', 'ignore'] as const;
export type AnswerValue = (typeof ANSWER_VALUES)[number];

export type AnswerInput = {
  readonly taskHash: number;
  readonly inputHash: number;
  readonly answer: AnswerValue;
  // The whole example as Prodigy exported it (stored as JSON text).
  readonly content: unknown;
};

export type StoredAnswer = {
  readonly batchId: string;
  readonly taskHash: number;
  readonly inputHash: number;
  readonly annotator: string;
  readonly answer: AnswerValue;
  readonly content: unknown;
  readonly revision: number;
  readonly harvestedAt: string;
  readonly updatedAt: string;
  readonly publishedChunk: string | null;
};

export type RecordAnswersResult = { readonly inserted: number; readonly updated: number; readonly unchanged: number };
export type AnswerCounts = { readonly total: number; readonly unpublished: number; readonly accept: number; readonly reject: number; readonly ignore: number };
export type PublishedAnswer = { readonly taskHash: number; readonly revision: number };

type AnswerRow = {
  batch_id: string;
  task_hash: number;
  input_hash: number;
  annotator: string;
  answer: AnswerValue;
  content_json: string;
  revision: number;
  harvested_at: string;
  updated_at: string;
  published_chunk: string | null;
};

function toAnswer(row: AnswerRow): StoredAnswer {
  return {
    batchId: row.batch_id,
    taskHash: row.task_hash,
    inputHash: row.input_hash,
    annotator: row.annotator,
    answer: row.answer,
    content: JSON.parse(row.content_json) as unknown,
    revision: row.revision,
    harvestedAt: row.harvested_at,
    updatedAt: row.updated_at,
    publishedChunk: row.published_chunk,
  };
}

function assertAnswer(batchId: string, index: number, a: AnswerInput): string {
  const where = `Answer ${index + 1} for batch ${batchId}`;
  if (!Number.isSafeInteger(a.taskHash)) throw new FerryError('malformed-input', `${where}: _task_hash must be an integer, got ${String(a.taskHash)}.`);
  if (!Number.isSafeInteger(a.inputHash)) throw new FerryError('malformed-input', `${where}: _input_hash must be an integer, got ${String(a.inputHash)}.`);
  if (!(ANSWER_VALUES as readonly string[]).includes(a.answer)) {
    throw new FerryError('malformed-input', `${where} (task ${a.taskHash}): answer must be one of ${ANSWER_VALUES.join(', ')}, got "${String(a.answer)}".`);
  }
  const json = JSON.stringify(a.content);
  if (json === undefined) throw new FerryError('malformed-input', `${where} (task ${a.taskHash}): the example content is not JSON.`);
  return json;
}

// One transaction for the whole list: a crash leaves either all of it or none. A changed answer (content or
// accept/reject) gets revision + 1 and loses its published_chunk so the next chunk publishes it again.
export function recordAnswers(db: Database, batchId: string, annotator: string, answers: readonly AnswerInput[], now: Date): RecordAnswersResult {
  if (annotator.length === 0) throw new FerryError('malformed-input', `recordAnswers for batch ${batchId}: the annotator name is empty.`);
  const rows = answers.map((a, i) => ({ ...a, contentJson: assertAnswer(batchId, i, a) }));
  const upsert = db.prepare(
    `INSERT INTO answers (batch_id, task_hash, input_hash, annotator, answer, content_json, revision, harvested_at, updated_at, published_chunk)
     VALUES (@batchId, @taskHash, @inputHash, @annotator, @answer, @contentJson, 1, @now, @now, NULL)
     ON CONFLICT (batch_id, task_hash, annotator) DO UPDATE SET
       input_hash = excluded.input_hash, answer = excluded.answer, content_json = excluded.content_json,
       revision = answers.revision + 1, updated_at = excluded.updated_at, published_chunk = NULL
     WHERE answers.answer IS NOT excluded.answer OR answers.content_json IS NOT excluded.content_json OR answers.input_hash IS NOT excluded.input_hash
     RETURNING revision`,
  );
  const write = db.transaction(() => {
    if (db.prepare('SELECT 1 FROM batches WHERE id = ?').get(batchId) === undefined) {
      throw new FerryError('not-found', `Cannot record answers: there is no local batch "${batchId}".`);
    }
    const stamp = now.toISOString();
    let inserted = 0;
    let updated = 0;
    for (const row of rows) {
      const back = upsert.get({ batchId, annotator, now: stamp, taskHash: row.taskHash, inputHash: row.inputHash, answer: row.answer, contentJson: row.contentJson }) as
        | { revision: number }
        | undefined;
      if (back === undefined) continue;
      if (back.revision === 1) inserted += 1;
      else updated += 1;
    }
    return { inserted, updated, unchanged: rows.length - inserted - updated };
  });
  return write.immediate();
}

export function countAnswers(db: Database, batchId: string): AnswerCounts {
  const row = db
    .prepare(
      `SELECT count(*) AS total,
              coalesce(sum(published_chunk IS NULL), 0) AS unpublished,
              coalesce(sum(answer = 'accept'), 0) AS accept,
              coalesce(sum(answer = 'reject'), 0) AS reject,
              coalesce(sum(answer = 'ignore'), 0) AS ignore
         FROM answers WHERE batch_id = ?`,
    )
    .get(batchId) as AnswerCounts;
  return { ...row };
}

// Oldest first, so chunks follow the order in which people answered. Ties (one harvest) go by rowid, the order the
// harvest recorded them: that order is answers_unpublished's own, so no sort of the whole backlog per chunk.
export function listUnpublishedAnswers(db: Database, batchId: string, annotator: string, limit = 10_000): StoredAnswer[] {
  const rows = db
    .prepare('SELECT * FROM answers WHERE batch_id = ? AND annotator = ? AND published_chunk IS NULL ORDER BY harvested_at, rowid LIMIT ?')
    .all(batchId, annotator, limit) as AnswerRow[];
  return rows.map(toAnswer);
}

// What sealing needs of an unsealed answer, without parsing its example in JS: the stored JSON as is (a chunk line is
// that JSON with `_ferry` appended) and the two meta fields a line names. `plain`: the example is a JSON object with no
// `_ferry` of its own, so appending is exact.
export type SealableAnswer = {
  readonly taskHash: number;
  readonly revision: number;
  readonly answer: AnswerValue;
  readonly contentJson: string;
  readonly taskId: string | null; // meta.task_id when it is a string
  readonly sourceKey: string | null; // meta.source_key when it is a string
  readonly plain: boolean;
};

// The same rows and order as listUnpublishedAnswers.
export function listSealableAnswers(db: Database, batchId: string, annotator: string, limit = 10_000): SealableAnswer[] {
  const rows = db
    .prepare(
      // One JSON path call for both meta fields (a JSON array of the two), one for `_ferry`: two parses per row, in C.
      `SELECT task_hash AS taskHash, revision, answer, content_json AS contentJson,
              json_extract(content_json, '$.meta.task_id', '$.meta.source_key') AS meta, json_type(content_json, '$._ferry') AS ferry
         FROM answers WHERE batch_id = ? AND annotator = ? AND published_chunk IS NULL ORDER BY harvested_at, rowid LIMIT ?`,
    )
    .all(batchId, annotator, limit) as { taskHash: number; revision: number; answer: AnswerValue; contentJson: string; meta: string | null; ferry: string | null }[];
  return rows.map((r) => {
    const [taskId, sourceKey] = r.meta === null ? [] : (JSON.parse(r.meta) as unknown[]);
    return {
      taskHash: r.taskHash,
      revision: r.revision,
      answer: r.answer,
      contentJson: r.contentJson,
      taskId: typeof taskId === 'string' ? taskId : null,
      sourceKey: typeof sourceKey === 'string' ? sourceKey : null,
      plain: r.ferry === null && r.contentJson.startsWith('{'),
    };
  });
}

export function listAnswers(db: Database, batchId: string, annotator?: string): StoredAnswer[] {
  const rows = (
    annotator === undefined
      ? db.prepare('SELECT * FROM answers WHERE batch_id = ? ORDER BY annotator, harvested_at, task_hash').all(batchId)
      : db.prepare('SELECT * FROM answers WHERE batch_id = ? AND annotator = ? ORDER BY harvested_at, task_hash').all(batchId, annotator)
  ) as AnswerRow[];
  return rows.map(toAnswer);
}

// Marks only the revisions the chunk holds: an answer changed while the chunk was uploading stays unpublished.
export function markAnswersPublished(db: Database, batchId: string, annotator: string, chunkKey: string, published: readonly PublishedAnswer[]): number {
  const mark = db.prepare('UPDATE answers SET published_chunk = ? WHERE batch_id = ? AND annotator = ? AND task_hash = ? AND revision = ?');
  const write = db.transaction(() => published.reduce((n, p) => n + mark.run(chunkKey, batchId, annotator, p.taskHash, p.revision).changes, 0));
  return write.immediate();
}

// How many of this annotator's answers in the batch wait to be sealed: read from the partial index alone, so it stays
// cheap on every round and timer, however many answers the batch holds.
export function countUnsealed(db: Database, batchId: string, annotator: string): number {
  const row = db.prepare('SELECT count(*) AS n FROM answers WHERE batch_id = ? AND annotator = ? AND published_chunk IS NULL').get(batchId, annotator) as { n: number };
  return row.n;
}

// When the oldest answer not yet sealed into a chunk was harvested or changed (null: nothing waits).
export function unpublishedSince(db: Database, batchId: string, annotator: string): string | null {
  const row = db.prepare('SELECT min(updated_at) AS since FROM answers WHERE batch_id = ? AND annotator = ? AND published_chunk IS NULL').get(batchId, annotator) as { since: string | null };
  return row.since;
}

// Per batch: answers S3 has not confirmed yet, whether unsealed or sealed into a chunk still in the outbox.
// (The outbox side counts every chunk of the data folder: one annotator's.)
export function answersWaiting(db: Database, annotator: string): Map<string, number> {
  const rows = db
    .prepare(
      `SELECT batchId, sum(n) AS waiting FROM (
         SELECT batch_id AS batchId, count(*) AS n FROM answers WHERE annotator = ? AND published_chunk IS NULL GROUP BY batch_id
         UNION ALL
         SELECT batch_id AS batchId, coalesce(sum(answers), 0) AS n FROM outbox WHERE kind = 'result-chunk' AND state <> 'done' AND batch_id IS NOT NULL GROUP BY batch_id
       ) GROUP BY batchId`,
    )
    .all(annotator) as { batchId: string; waiting: number }[];
  return new Map(rows.filter((r) => r.waiting > 0).map((r) => [r.batchId, r.waiting]));
}

// After a rebuild: S3 already holds revision `revision` of the task. Same content → published in `chunkKey`;
// different content (chunkKey null) → revision + 1, still unpublished, so the next chunk carries the newer answer.
export type AdoptedRevision = { readonly taskHash: number; readonly revision: number; readonly chunkKey: string | null };

export function adoptRevisions(db: Database, batchId: string, annotator: string, adopted: readonly AdoptedRevision[]): number {
  const same = db.prepare('UPDATE answers SET revision = ?, published_chunk = ? WHERE batch_id = ? AND annotator = ? AND task_hash = ?');
  const newer = db.prepare('UPDATE answers SET revision = max(revision, ? + 1), published_chunk = NULL WHERE batch_id = ? AND annotator = ? AND task_hash = ?');
  const write = db.transaction(() =>
    adopted.reduce((n, a) => n + (a.chunkKey !== null ? same.run(a.revision, a.chunkKey, batchId, annotator, a.taskHash) : newer.run(a.revision, batchId, annotator, a.taskHash)).changes, 0),
  );
  return write.immediate();
}

// How many of these revisions are no longer unsealed as given (another process sealed or a harvest changed them).
export function countStale(db: Database, batchId: string, annotator: string, expected: readonly PublishedAnswer[]): number {
  const check = db.prepare('SELECT 1 FROM answers WHERE batch_id = ? AND annotator = ? AND task_hash = ? AND revision = ? AND published_chunk IS NULL');
  return expected.reduce((n, p) => n + (check.get(batchId, annotator, p.taskHash, p.revision) === undefined ? 1 : 0), 0);
}

// Seals these revisions into `chunkKey` where they are still unsealed as given, in one statement; returns how many it
// marked (fewer than asked: another process sealed some, or a harvest changed them, meanwhile). CROSS JOIN keeps the
// list outermost, so each answer is one primary-key lookup (the planner would otherwise scan the list per row).
export function markUnsealed(db: Database, batchId: string, annotator: string, chunkKey: string, expected: readonly PublishedAnswer[]): number {
  const mark = db.prepare(
    `UPDATE answers SET published_chunk = ?
      WHERE rowid IN (SELECT a.rowid FROM json_each(?) AS j
                        CROSS JOIN answers AS a ON a.batch_id = ? AND a.annotator = ? AND a.task_hash = json_extract(j.value, '$[0]')
                       WHERE a.revision = json_extract(j.value, '$[1]') AND a.published_chunk IS NULL)`,
  );
  return mark.run(chunkKey, JSON.stringify(expected.map((p) => [p.taskHash, p.revision])), batchId, annotator).changes;
}
