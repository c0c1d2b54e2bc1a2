// A model's scores for pool items (JSONL: {"id": ..., "score": p} or {"id": ..., "scores": {"LABEL": p}}), checked line by
// line and against the pool: every unknown id, bad value and duplicate is counted and named, never silently dropped.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { FerryError } from '../../shared/result.ts';
import type { PoolItem } from './pool.ts';

export type ScoreLine = { readonly id: string; readonly line: number; readonly score?: number; readonly scores?: Readonly<Record<string, number>> };

export type ScoresFile = {
  readonly path: string;
  readonly name: string;
  readonly sha256: string;
  readonly lines: ScoreLine[];
  readonly problems: readonly string[]; // bad lines: JSON, missing or out-of-range values, duplicates
};

export type MatchedScores = {
  readonly byItem: Map<string, ScoreLine>;
  readonly unknown: readonly string[];
  readonly skipped: readonly string[]; // problems ignored because the lead asked to (--skip-bad-scores)
};

const SHOW = 10;

function named(values: readonly string[]): string {
  const shown = values.slice(0, SHOW).join(', ');
  return values.length > SHOW ? `${shown} and ${values.length - SHOW} more` : shown;
}

function checkProbability(value: unknown, what: string, lineNo: number, name: string): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${name} line ${lineNo}: ${what} ${JSON.stringify(value)} is not a number`;
  if (value < 0 || value > 1) return `${name} line ${lineNo}: ${what} ${value} is outside 0–1`;
  return null;
}

function parseLine(raw: unknown, lineNo: number, name: string): ScoreLine | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return `${name} line ${lineNo}: expected an object such as {"id": "a", "score": 0.5}`;
  const o = raw as Record<string, unknown>;
  const id = typeof o.id === 'string' && o.id.length > 0 ? o.id : typeof o.id === 'number' && Number.isFinite(o.id) ? String(o.id) : null;
  if (id === null) return `${name} line ${lineNo}: no "id" (a pool item's id, meta.id, or its S3 key)`;
  if (o.score === undefined && o.scores === undefined) return `${name} line ${lineNo}: id "${id}" has no value: give "score": p or "scores": {"LABEL": p, …}`;
  if (o.score !== undefined) {
    const bad = checkProbability(o.score, 'score', lineNo, name);
    if (bad) return bad;
  }
  let scores: Record<string, number> | undefined;
  if (o.scores !== undefined) {
    if (typeof o.scores !== 'object' || o.scores === null || Array.isArray(o.scores) || Object.keys(o.scores).length === 0) {
      return `${name} line ${lineNo}: "scores" must be an object of label probabilities such as {"POSITIVE": 0.7, "NEGATIVE": 0.3}`;
    }
    for (const [label, value] of Object.entries(o.scores)) {
      const bad = checkProbability(value, `scores.${label}`, lineNo, name);
      if (bad) return bad;
    }
    scores = o.scores as Record<string, number>;
  }
  return { id, line: lineNo, ...(typeof o.score === 'number' ? { score: o.score } : {}), ...(scores ? { scores } : {}) };
}

export async function readScoresFile(path: string): Promise<ScoresFile> {
  const name = basename(path);
  let stream;
  try {
    stream = createReadStream(path);
    await new Promise<void>((resolve, reject) => {
      stream!.once('open', () => resolve());
      stream!.once('error', reject);
    });
  } catch (error) {
    throw new FerryError('not-found', `Cannot read the scores file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  const hash = createHash('sha256');
  stream.on('data', (chunk: Buffer | string) => hash.update(chunk));
  const lines: ScoreLine[] = [];
  const problems: string[] = [];
  const firstLine = new Map<string, number[]>();
  let lineNo = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    lineNo += 1;
    if (text.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      problems.push(`${name} line ${lineNo}: not valid JSON (${(error as Error).message})`);
      continue;
    }
    const parsed = parseLine(raw, lineNo, name);
    if (typeof parsed === 'string') {
      problems.push(parsed);
      continue;
    }
    const at = firstLine.get(parsed.id);
    if (at) at.push(lineNo);
    else {
      firstLine.set(parsed.id, [lineNo]);
      lines.push(parsed);
    }
  }
  for (const [id, at] of firstLine) if (at.length > 1) problems.push(`${name}: id "${id}" appears on lines ${at.slice(0, -1).join(', ')} and ${at[at.length - 1]}`);
  if (lines.length === 0 && problems.length === 0) throw new FerryError('malformed-input', `The scores file ${path} holds no scores.`);
  return { path, name, sha256: hash.digest('hex'), lines, problems };
}

// Every name a pool item answers to in a scores file: its id, meta.id, and for a raw file its key with or without s3://bucket/.
function aliases(item: PoolItem): string[] {
  const names = [item.id];
  const metaId = item.task.meta?.id;
  if (typeof metaId === 'string' || typeof metaId === 'number') names.push(String(metaId));
  if (item.file) names.push(item.file.key, `s3://${item.file.bucket}/${item.file.key}`);
  return names;
}

// Joins scores to pool items; any problem stops the run with one message listing them all, unless `skipBad` is set.
export function matchScores(file: ScoresFile, items: readonly PoolItem[], options: { skipBad?: boolean } = {}): MatchedScores {
  const byName = new Map<string, PoolItem>();
  for (const item of items) for (const alias of aliases(item)) if (!byName.has(alias)) byName.set(alias, item);
  const byItem = new Map<string, ScoreLine>();
  const unknown: string[] = [];
  const dupItems: string[] = [];
  for (const line of file.lines) {
    const item = byName.get(line.id);
    if (!item) unknown.push(line.id);
    else if (byItem.has(item.id)) dupItems.push(`${file.name}: lines ${byItem.get(item.id)!.line} and ${line.line} both score item "${item.id}"`);
    else byItem.set(item.id, line);
  }
  const problems = [...(unknown.length ? [`${file.name}: ${unknown.length} unknown id(s) that match no pool item (${named(unknown.map((u) => JSON.stringify(u)))})`] : []), ...file.problems, ...dupItems];
  if (problems.length > 0 && !options.skipBad) {
    throw new FerryError(
      'malformed-input',
      `The scores file ${file.path} has ${problems.length} problem(s); no batch was created:\n  ${problems.slice(0, 12).join('\n  ')}${problems.length > 12 ? `\n  … and ${problems.length - 12} more` : ''}\nFix the file, or pass --skip-bad-scores to leave these lines out.`,
    );
  }
  return { byItem, unknown, skipped: problems };
}
