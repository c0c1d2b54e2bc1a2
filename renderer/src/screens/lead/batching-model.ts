// The batching forms' values (Create batches, Refill, Rerank) and what they ask of the core.
import type { FerryErrorShape } from '../../../../shared/result.ts';

export const STRATEGIES = ['sequential', 'random', 'uncertainty', 'margin', 'entropy', 'stratified'] as const;
export type Strategy = (typeof STRATEGIES)[number];
export const SCORED: ReadonlySet<string> = new Set(['uncertainty', 'margin', 'entropy']);

export const STRATEGY_TEXT: Readonly<Record<Strategy, string>> = {
  sequential: 'Sequential — in pool order',
  random: 'Random — shuffled by a seed, reproducible',
  uncertainty: 'Uncertainty — score closest to 0.5 first',
  margin: 'Margin — smallest gap between the top two labels first',
  entropy: 'Entropy — most uncertain across all labels first',
  stratified: 'Stratified — an even mix across a meta field',
};

export const FILES_HINT = 'Read on the computer Ferry’s core runs on: this one in the desktop app, the machine serving this page in a browser.';

export type BatchingForm = { readonly strategy: Strategy; readonly by: string; readonly scoresFile: string; readonly seed: string; readonly poolFile: string; readonly skipBadScores: boolean };
export type BatchingField = 'count' | 'size' | 'perRegion' | 'region' | keyof BatchingForm;
export type BatchingErrors = Partial<Record<BatchingField, readonly string[]>>;

export const EMPTY_BATCHING: BatchingForm = { strategy: 'sequential', by: '', scoresFile: '', seed: '', poolFile: '', skipBadScores: false };

export type BatchingRequest = { strategy: Strategy; by?: string; scoresFile?: string; seed?: string; poolFile?: string; skipBadScores?: boolean };

export function wholeNumber(value: string, field: BatchingField, errors: Record<string, string[]>, optional: boolean): number | undefined {
  const text = value.trim();
  if (!text && optional) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    (errors[field] ??= []).push('A whole number, at least 1.');
    return undefined;
  }
  return Number(text);
}

// The strategy and its inputs: scored rules need a scores file, random a seed, stratified a meta field.
export function checkBatching(form: BatchingForm, errors: Record<string, string[]>): BatchingRequest {
  const add = (field: BatchingField, message: string) => (errors[field] ??= []).push(message);
  if (SCORED.has(form.strategy) && !form.scoresFile.trim()) add('scoresFile', `The ${form.strategy} rule ranks by a model's scores: name the scores file.`);
  if (form.strategy === 'random' && !form.seed.trim()) add('seed', 'Give a seed (any word or number), so the same order can be made again.');
  if (form.strategy === 'stratified' && !form.by.trim()) add('by', 'Name the meta field to mix by, e.g. meta.source.');
  const scores = form.scoresFile.trim();
  return {
    strategy: form.strategy,
    ...(form.strategy === 'stratified' && form.by.trim() ? { by: form.by.trim() } : {}),
    ...(scores ? { scoresFile: scores } : {}),
    ...(scores && form.skipBadScores ? { skipBadScores: true } : {}),
    ...(form.strategy === 'random' && form.seed.trim() ? { seed: form.seed.trim() } : {}),
    ...(form.poolFile.trim() ? { poolFile: form.poolFile.trim() } : {}),
  };
}

// The core's refusal goes next to the input it is about (a scores file, the pool, the seed…), else above the form.
export function placeBatchingError(error: FerryErrorShape): BatchingField | null {
  const m = error.message;
  if (/scores file|--scores/i.test(m)) return 'scoresFile';
  if (/--seed/.test(m)) return 'seed';
  if (/--by|meta field/i.test(m)) return 'by';
  if (/pool (file|prefix)|--pool|no pool/i.test(m)) return 'poolFile';
  if (/^Region "/.test(m)) return 'region';
  if (/--size/.test(m)) return 'size';
  if (/--count/.test(m)) return 'count';
  return null;
}

// The form's own errors plus the core's refusal placed on its field; `unplaced` when it belongs above the form.
export function withCoreError(errors: BatchingErrors, outcome: { readonly state: string; readonly error?: FerryErrorShape }): { shown: BatchingErrors; unplaced: boolean } {
  if (outcome.state !== 'failed' || !outcome.error) return { shown: errors, unplaced: false };
  const placed = placeBatchingError(outcome.error);
  if (!placed) return { shown: errors, unplaced: true };
  return { shown: { ...errors, [placed]: [...(errors[placed] ?? []), outcome.error.message] }, unplaced: false };
}
