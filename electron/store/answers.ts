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
  // Its place in the (batch, annotator) change log; sealed into a queued chunk when at or below the seal mark.
  readonly changeSeq: number;
  readonly sealed: boolean;
};

export type RecordAnswersResult = { readonly inserted: number; readonly updated: number; readonly unchanged: number };
export type AnswerCounts = { readonly total: number; readonly unpublished: number; readonly accept: number; readonly reject: number; readonly ignore: number };
// One answer revision a chunk holds, and where it sat in the change log when the chunk was built.
export type PublishedAnswer = { readonly taskHash: number; readonly revision: number; readonly changeSeq: number };

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
  change_seq: number;
  sealed: number;
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
    changeSeq: row.change_seq,
    sealed: row.sealed === 1,
  };
}

// The seal mark of (batch, annotator) as a SQL expression over a row alias: 0 before the first chunk.
const MARK_OF = (alias: string): string =>
  `coalesce((SELECT m.sealed_through FROM seal_marks AS m WHERE m.batch_id = ${alias}.batch_id AND m.annotator = ${alias}.annotator), 0)`;

export function sealedThrough(db: Database, batchId: string, annotator: string): number {
  const row = db.prepare('SELECT sealed_through AS mark FROM seal_marks WHERE batch_id = ? AND annotator = ?').get(batchId, annotator) as { mark: number } | undefined;
  return row?.mark ?? 0;
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

// What a chunk line needs besides the stored JSON, taken while the example is parsed anyway (at harvest, not at seal).
function lineFields(content: unknown, json: string): { taskId: string | null; sourceKey: string | null; plain: 0 | 1 } {
  const object = typeof content === 'object' && content !== null && !Array.isArray(content) ? (content as Record<string, unknown>) : undefined;
  const meta = object?.meta;
  const fields = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : {};
  return {
    taskId: typeof fields.task_id === 'string' ? fields.task_id : null,
    sourceKey: typeof fields.source_key === 'string' ? fields.source_key : null,
    // "\\ud" in the JSON is an escaped lone surrogate: its raw string in task_id/source_key is not valid UTF-8 for SQLite.
    plain: object !== undefined && !Object.hasOwn(object, '_ferry') && json.startsWith('{') && !json.includes('\\ud') ? 1 : 0,
  };
}

// One transaction for the whole list: a crash leaves either all of it or none. A changed answer (content or
// accept/reject) gets revision + 1 and the next place in the change log, past the seal mark, so the next chunk
// publishes it again.
export function recordAnswers(db: Database, batchId: string, annotator: string, answers: readonly AnswerInput[], now: Date): RecordAnswersResult {
  if (annotator.length === 0) throw new FerryError('malformed-input', `recordAnswers for batch ${batchId}: the annotator name is empty.`);
  const rows = answers.map((a, i) => {
    const contentJson = assertAnswer(batchId, i, a);
    return { ...a, contentJson, ...lineFields(a.content, contentJson) };
  });
  const upsert = db.prepare(
    `INSERT INTO answers (batch_id, task_hash, input_hash, annotator, answer, content_json, task_id, source_key, plain, revision, harvested_at, updated_at, change_seq)
     VALUES (@batchId, @taskHash, @inputHash, @annotator, @answer, @contentJson, @taskId, @sourceKey, @plain, 1, @now, @now, @seq)
     ON CONFLICT (batch_id, task_hash, annotator) DO UPDATE SET
       input_hash = excluded.input_hash, answer = excluded.answer, content_json = excluded.content_json, task_id = excluded.task_id,
       source_key = excluded.source_key, plain = excluded.plain, revision = answers.revision + 1, updated_at = excluded.updated_at,
       change_seq = excluded.change_seq
     WHERE answers.answer IS NOT excluded.answer OR answers.content_json IS NOT excluded.content_json OR answers.input_hash IS NOT excluded.input_hash
     RETURNING revision`,
  );
  const write = db.transaction(() => {
    if (db.prepare('SELECT 1 FROM batches WHERE id = ?').get(batchId) === undefined) {
      throw new FerryError('not-found', `Cannot record answers: there is no local batch "${batchId}".`);
    }
    // Under the IMMEDIATE lock no other writer moves the log meanwhile; past the mark too, should the log ever be empty.
    let seq = nextChangeSeq(db, batchId, annotator);
    const stamp = now.toISOString();
    let inserted = 0;
    let updated = 0;
    for (const row of rows) {
      const back = upsert.get({
        batchId,
        annotator,
        now: stamp,
        seq,
        taskHash: row.taskHash,
        inputHash: row.inputHash,
        answer: row.answer,
        contentJson: row.contentJson,
        taskId: row.taskId,
        sourceKey: row.sourceKey,
        plain: row.plain,
      }) as { revision: number } | undefined;
      if (back === undefined) continue;
      seq += 1;
      if (back.revision === 1) inserted += 1;
      else updated += 1;
    }
    return { inserted, updated, unchanged: rows.length - inserted - updated };
  });
  return write.immediate();
}

function nextChangeSeq(db: Database, batchId: string, annotator: string): number {
  const row = db.prepare('SELECT max(change_seq) AS top FROM answers WHERE batch_id = ? AND annotator = ?').get(batchId, annotator) as { top: number | null };
  return Math.max(row.top ?? 0, sealedThrough(db, batchId, annotator)) + 1;
}

export function countAnswers(db: Database, batchId: string): AnswerCounts {
  // Both read indexes only (answers_by_value, answers_change_log), never the examples.
  const values = db
    .prepare(
      `SELECT count(*) AS total,
              coalesce(sum(answer = 'accept'), 0) AS accept,
              coalesce(sum(answer = 'reject'), 0) AS reject,
              coalesce(sum(answer = 'ignore'), 0) AS ignore
         FROM answers WHERE batch_id = ?`,
    )
    .get(batchId) as Omit<AnswerCounts, 'unpublished'>;
  const waiting = db
    .prepare(
      `SELECT count(*) AS n FROM answers AS a LEFT JOIN seal_marks AS m ON m.batch_id = a.batch_id AND m.annotator = a.annotator
        WHERE a.batch_id = ? AND a.change_seq > coalesce(m.sealed_through, 0)`,
    )
    .get(batchId) as { n: number };
  return { total: values.total, unpublished: waiting.n, accept: values.accept, reject: values.reject, ignore: values.ignore };
}

const STORED_COLUMNS = `a.batch_id, a.task_hash, a.input_hash, a.annotator, a.answer, a.content_json, a.revision, a.harvested_at, a.updated_at,
  a.change_seq, a.change_seq <= ${MARK_OF('a')} AS sealed`;

// In change-log order, so chunks follow the order in which people answered (or changed an answer).
export function listUnpublishedAnswers(db: Database, batchId: string, annotator: string, limit = 10_000): StoredAnswer[] {
  const rows = db
    .prepare(`SELECT ${STORED_COLUMNS} FROM answers AS a WHERE a.batch_id = ? AND a.annotator = ? AND a.change_seq > ${MARK_OF('a')} ORDER BY a.change_seq LIMIT ?`)
    .all(batchId, annotator, limit) as AnswerRow[];
  return rows.map(toAnswer);
}

// What sealing needs of an unsealed answer, without parsing its example: the stored JSON as is (a chunk line is that
// JSON with `_ferry` appended when `plain`) and the two meta fields a line names, kept as columns at harvest.
export type SealableAnswer = {
  readonly taskHash: number;
  readonly revision: number;
  readonly changeSeq: number;
  readonly answer: AnswerValue;
  readonly contentJson: string;
  readonly taskId: string | null; // meta.task_id when it is a string
  readonly sourceKey: string | null; // meta.source_key when it is a string
  readonly plain: boolean;
};

// The same rows and order as listUnpublishedAnswers: a range of the change-log index after the seal mark.
export function listSealableAnswers(db: Database, batchId: string, annotator: string, limit = 10_000): SealableAnswer[] {
  const mark = sealedThrough(db, batchId, annotator);
  const rows = db
    .prepare(
      `SELECT task_hash AS taskHash, revision, change_seq AS changeSeq, answer, content_json AS contentJson, task_id AS taskId, source_key AS sourceKey, plain
         FROM answers WHERE batch_id = ? AND annotator = ? AND change_seq > ? ORDER BY change_seq LIMIT ?`,
    )
    .all(batchId, annotator, mark, limit) as (Omit<SealableAnswer, 'plain'> & { plain: number })[];
  return rows.map((row) => ({ ...row, plain: row.plain === 1 }));
}

// The next chunk's answers after the seal mark, with the chunk's bytes built by SQLite when every one is plain: each
// line is the stored JSON with `"_ferry":{…}` appended (`ferryOpen` is its constant head, from publish/chunk.ts, which
// also builds the same bytes in JS for the others), joined in change-log order, returned as one Buffer — no JS string
// per answer. `body` is null when some answer is not plain; the caller then builds the chunk from listSealableAnswers.
export type StretchAnswer = PublishedAnswer & { readonly answer: AnswerValue };
export type SealableStretch = { readonly answers: readonly StretchAnswer[]; readonly body: Buffer | null };

// One format() per line (one allocation) rather than a chain of || (a copy of the line per operator). %.*s takes bytes:
// the stored JSON minus its closing brace, an ASCII byte.
const CHUNK_LINE = `format('%.*s%s%s"task":%s,"source":%s,"revision":%d}}', octet_length(content_json) - 1, content_json,
  CASE WHEN octet_length(content_json) > 2 THEN ',' ELSE '' END, @ferryOpen,
  json_quote(coalesce(task_id, CAST(task_hash AS TEXT))), json_quote(source_key), revision)`;

export function readSealableStretch(db: Database, batchId: string, annotator: string, limit: number, ferryOpen: string): SealableStretch {
  // One pass over the stretch: its bytes, the list of what it holds (as one JSON array, not a JS object per row from
  // SQLite), and whether every answer was plain (if not, the bytes are dropped and JS builds them).
  const row = db
    .prepare(
      `SELECT CAST(group_concat(${CHUNK_LINE}, char(10) ORDER BY change_seq) || char(10) AS BLOB) AS body,
              json_group_array(json_array(task_hash, revision, change_seq, answer) ORDER BY change_seq) AS refs, min(plain) AS plain
         FROM (SELECT * FROM answers WHERE batch_id = @batchId AND annotator = @annotator
                 AND change_seq > coalesce((SELECT sealed_through FROM seal_marks WHERE batch_id = @batchId AND annotator = @annotator), 0)
                ORDER BY change_seq LIMIT @limit)`,
    )
    .get({ batchId, annotator, limit, ferryOpen }) as { body: Buffer | null; refs: string; plain: number | null };
  const answers = (JSON.parse(row.refs) as [number, number, number, AnswerValue][]).map(([taskHash, revision, changeSeq, answer]) => ({ taskHash, revision, changeSeq, answer }));
  return { answers, body: row.plain === 1 ? row.body : null };
}

export function listAnswers(db: Database, batchId: string, annotator?: string): StoredAnswer[] {
  const rows = (
    annotator === undefined
      ? db.prepare(`SELECT ${STORED_COLUMNS} FROM answers AS a WHERE a.batch_id = ? ORDER BY a.annotator, a.change_seq`).all(batchId)
      : db.prepare(`SELECT ${STORED_COLUMNS} FROM answers AS a WHERE a.batch_id = ? AND a.annotator = ? ORDER BY a.change_seq`).all(batchId, annotator)
  ) as AnswerRow[];
  return rows.map(toAnswer);
}

// How many of this annotator's answers in the batch wait to be sealed: a range of the change-log index, so it stays
// cheap on every round and timer, however many answers the batch holds.
export function countUnsealed(db: Database, batchId: string, annotator: string): number {
  const row = db.prepare('SELECT count(*) AS n FROM answers WHERE batch_id = ? AND annotator = ? AND change_seq > ?').get(batchId, annotator, sealedThrough(db, batchId, annotator)) as {
    n: number;
  };
  return row.n;
}

// When the oldest answer not yet sealed into a chunk was harvested or changed (null: nothing waits).
export function unpublishedSince(db: Database, batchId: string, annotator: string): string | null {
  const row = db
    .prepare('SELECT min(updated_at) AS since FROM answers WHERE batch_id = ? AND annotator = ? AND change_seq > ?')
    .get(batchId, annotator, sealedThrough(db, batchId, annotator)) as { since: string | null };
  return row.since;
}

// Per batch: answers S3 has not confirmed yet, whether unsealed or sealed into a chunk still in the outbox.
// (The outbox side counts every chunk of the data folder: one annotator's.)
export function answersWaiting(db: Database, annotator: string): Map<string, number> {
  const rows = db
    .prepare(
      `SELECT batchId, sum(n) AS waiting FROM (
         SELECT b.id AS batchId,
                (SELECT count(*) FROM answers AS a WHERE a.batch_id = b.id AND a.annotator = @annotator
                    AND a.change_seq > coalesce((SELECT m.sealed_through FROM seal_marks AS m WHERE m.batch_id = b.id AND m.annotator = @annotator), 0)) AS n
           FROM batches AS b
         UNION ALL
         SELECT batch_id AS batchId, coalesce(sum(answers), 0) AS n FROM outbox WHERE kind = 'result-chunk' AND state <> 'done' AND batch_id IS NOT NULL GROUP BY batch_id
       ) GROUP BY batchId`,
    )
    .all({ annotator }) as { batchId: string; waiting: number }[];
  return new Map(rows.filter((r) => r.waiting > 0).map((r) => [r.batchId, r.waiting]));
}

// After a rebuild: S3 already holds revision `revision` of the task. Same content (`published`) → sealed; different
// content → revision + 1, still unsealed, so the next chunk carries the newer answer.
export type AdoptedRevision = { readonly taskHash: number; readonly revision: number; readonly published: boolean };

// Rewrites the batch's change log so the sealed answers come first and the mark sits right after them: every answer
// gets a new place past the old end of the log (the mark only moves forward, and a seal built before this is stale).
export function adoptRevisions(db: Database, batchId: string, annotator: string, adopted: readonly AdoptedRevision[]): number {
  const write = db.transaction(() => {
    const mark = sealedThrough(db, batchId, annotator);
    const byTask = new Map(adopted.map((a) => [a.taskHash, a]));
    const rows = db.prepare('SELECT task_hash AS taskHash, revision, change_seq AS changeSeq FROM answers WHERE batch_id = ? AND annotator = ? ORDER BY change_seq').all(batchId, annotator) as {
      taskHash: number;
      revision: number;
      changeSeq: number;
    }[];
    const placed = rows.map((row) => {
      const a = byTask.get(row.taskHash);
      if (a === undefined) return { ...row, sealed: row.changeSeq <= mark, matched: false };
      return { taskHash: row.taskHash, changeSeq: row.changeSeq, revision: a.published ? a.revision : Math.max(row.revision, a.revision + 1), sealed: a.published, matched: true };
    });
    const ordered = [...placed.filter((p) => p.sealed), ...placed.filter((p) => !p.sealed)];
    const base = Math.max(mark, rows.at(-1)?.changeSeq ?? 0) + 1;
    const move = db.prepare('UPDATE answers SET revision = ?, change_seq = ? WHERE batch_id = ? AND annotator = ? AND task_hash = ?');
    ordered.forEach((p, i) => move.run(p.revision, base + i, batchId, annotator, p.taskHash));
    setSealedThrough(db, batchId, annotator, base + placed.filter((p) => p.sealed).length - 1);
    return placed.filter((p) => p.matched).length;
  });
  return write.immediate();
}

export function setSealedThrough(db: Database, batchId: string, annotator: string, mark: number): void {
  db.prepare(
    `INSERT INTO seal_marks (batch_id, annotator, sealed_through) VALUES (?, ?, ?)
     ON CONFLICT (batch_id, annotator) DO UPDATE SET sealed_through = max(seal_marks.sealed_through, excluded.sealed_through)`,
  ).run(batchId, annotator, mark);
}

// Whether these revisions are exactly the next stretch of the change log after the mark (nothing sealed, changed or
// left out meanwhile): then sealing them moves the mark to their last place. A place in the log names one revision of
// one task for good (a change takes a new place past the end; places are never reused), so counting the answers in the
// stretch is the whole check: an answer changed after the chunk was built has left it (the count falls short), one
// sealed by another process sits at or below the mark, one skipped is still in the stretch (the count is too high).
export function isNextStretch(db: Database, batchId: string, annotator: string, chunk: readonly PublishedAnswer[]): { readonly ok: boolean; readonly through: number; readonly stale: number } {
  const mark = sealedThrough(db, batchId, annotator);
  let previous = mark;
  let belowMark = 0;
  let ascending = true;
  for (const p of chunk) {
    if (p.changeSeq <= mark) belowMark += 1;
    if (p.changeSeq <= previous) ascending = false;
    previous = Math.max(previous, p.changeSeq);
  }
  const through = previous;
  if (chunk.length === 0 || !ascending) return { ok: false, through, stale: Math.max(belowMark, chunk.length === 0 ? 0 : 1) };
  const inStretch = db.prepare('SELECT count(*) AS n FROM answers WHERE batch_id = ? AND annotator = ? AND change_seq > ? AND change_seq <= ?').get(batchId, annotator, mark, through) as {
    n: number;
  };
  const ok = inStretch.n === chunk.length;
  return { ok, through, stale: ok ? 0 : Math.max(Math.abs(chunk.length - inStretch.n), 1) };
}
