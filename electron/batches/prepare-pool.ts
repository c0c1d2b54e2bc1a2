// Everything a batch-creating run needs before it plans: the rule checked, the pool read, the scores matched, and the
// record of all of it (rule, seed, inputs' SHA-256) that goes into every manifest.
import { randomBytes } from 'node:crypto';
import type { Project } from '../../shared/project.ts';
import { FerryError } from '../../shared/result.ts';
import type { LeadIndexStore } from '../store/lead-index.ts';
import type { S3Target } from '../projects/projects.ts';
import type { StrategyRecord } from './build-batches.ts';
import { poolSourceFromArg, readPool, type PoolRead } from './pool-sources.ts';
import { matchScores, readScoresFile } from './scores.ts';
import { isStrategy, RULES, SCORED, STRATEGIES, type RankOptions, type StrategyName } from './strategies.ts';

export type BatchingOptions = {
  readonly strategy?: string;
  readonly by?: string;
  readonly scoresFile?: string;
  readonly seed?: string;
  readonly skipBadScores?: boolean;
  readonly poolFile?: string; // instead of the project's pool: a .jsonl/.csv path, an s3:// task file or an s3:// prefix/
  readonly rescan?: boolean; // list a raw-file prefix in full (finds deleted files) instead of only what is new
};

export type PreparedPool = { readonly pool: PoolRead; readonly rank: RankOptions; readonly strategy: StrategyRecord; readonly notes: readonly string[] };

export function checkStrategy(options: BatchingOptions): StrategyName {
  const name = options.strategy ?? (options.scoresFile ? 'uncertainty' : 'sequential');
  if (!isStrategy(name)) throw new FerryError('invalid-request', `Unknown strategy "${name}". Choose one of: ${STRATEGIES.join(', ')}.`);
  if (SCORED.has(name) && !options.scoresFile) throw new FerryError('invalid-request', `The ${name} strategy ranks items by a model's scores: pass --scores FILE (JSONL of {"id": …, "score": p} or {"id": …, "scores": {"LABEL": p}}).`);
  if (name === 'stratified' && !options.by) throw new FerryError('invalid-request', 'The stratified strategy needs --by META_FIELD (for example --by meta.source).');
  return name;
}

export async function preparePool(target: S3Target, project: Project, options: BatchingOptions, index?: LeadIndexStore, signal?: AbortSignal): Promise<PreparedPool> {
  const name = checkStrategy(options);
  const sources = options.poolFile ? [poolSourceFromArg(options.poolFile)] : project.pool.sources;
  if (sources.length === 0) {
    throw new FerryError('invalid-request', `Project "${project.name}" has no pool: pass --pool FILE (a .jsonl/.csv file, or an s3:// prefix of raw files), or create the project with --pool-prefix/--pool-tasks.`);
  }
  const pool = await readPool(target, sources, { ...(index ? { index } : {}), ...(options.rescan ? { rescan: true } : {}), ...(signal ? { signal } : {}) });
  const notes = [...pool.notes];
  let scoresRecord: Record<string, unknown> | undefined;
  let rank: RankOptions = { strategy: name, ...(options.by ? { by: options.by } : {}) };
  if (options.scoresFile && SCORED.has(name)) {
    const file = await readScoresFile(options.scoresFile);
    const matched = matchScores(file, pool.items, { skipBad: options.skipBadScores === true });
    if (matched.skipped.length) notes.push(`Left out of the ranking (--skip-bad-scores): ${matched.skipped.join('; ')}.`);
    scoresRecord = { file: file.name, sha256: file.sha256, lines: file.lines.length, matched: matched.byItem.size, skippedProblems: matched.skipped.length };
    rank = { ...rank, scores: matched.byItem };
  }
  let seed = options.seed;
  if (name === 'random' && seed === undefined) {
    seed = randomBytes(6).toString('hex');
    notes.push(`Random order with seed ${seed} (pass --seed ${seed} to reproduce it).`);
  }
  if (seed !== undefined) rank = { ...rank, seed };
  const strategy: StrategyRecord = {
    name,
    rule: RULES[name],
    ...(seed !== undefined && name === 'random' ? { seed } : {}),
    ...(options.by && name === 'stratified' ? { by: options.by } : {}),
    pool: { sha256: pool.sha256, inputs: pool.inputs },
    ...(scoresRecord ? { scores: scoresRecord } : {}),
  };
  return { pool, rank, strategy, notes };
}
