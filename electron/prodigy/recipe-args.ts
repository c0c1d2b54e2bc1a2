// Prodigy's argv for each recipe Ferry runs, in the positional order the recipes declare (reference/prodigy.md §1).
import { isAbsolute, resolve } from 'node:path';
import type { Recipe } from '../../shared/project.ts';
import { assertNever, FerryError } from '../../shared/result.ts';

export type RecipeArgsInput = {
  readonly recipe: Recipe;
  readonly dataset: string; // for review: the output dataset
  readonly source: string; // a file/folder path, "-" (stdin) or "dataset:NAME"; for review: the input datasets, comma-separated
  readonly labels: readonly string[];
  readonly model?: string; // ner.manual / spans.manual pipeline; default blank:en
  readonly extraArgs?: readonly string[];
};

export const DEFAULT_MODEL = 'blank:en';

function labelOption(labels: readonly string[]): string[] {
  for (const label of labels) {
    if (label.trim().length === 0 || label.includes(',')) {
      throw new FerryError(
        'invalid-request',
        `The label ${JSON.stringify(label)} can't be passed to Prodigy: labels must be non-empty and contain no commas (--label takes a comma-separated list).`,
      );
    }
  }
  return labels.length > 0 ? ['--label', labels.join(',')] : [];
}

// Prodigy runs with cwd = PRODIGY_HOME, so a relative file source must be made absolute against Ferry's own cwd.
export function absoluteSource(source: string, cwd = process.cwd()): string {
  if (source === '-' || source.startsWith('dataset:') || /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || isAbsolute(source)) return source;
  return resolve(cwd, source);
}

function requireLabels(recipe: Recipe, labels: readonly string[]): void {
  if (labels.length === 0) throw new FerryError('invalid-request', `The ${recipe} recipe needs at least one label; the batch lists none.`);
}

export function buildRecipeArgs(input: RecipeArgsInput): string[] {
  const { recipe, dataset, labels } = input;
  const extra = input.extraArgs ?? [];
  switch (recipe) {
    case 'textcat.manual':
    case 'image.manual':
    case 'audio.manual':
      requireLabels(recipe, labels);
      return [recipe, dataset, absoluteSource(input.source), ...labelOption(labels), ...extra];
    case 'ner.manual':
    case 'spans.manual':
      requireLabels(recipe, labels);
      return [recipe, dataset, input.model ?? DEFAULT_MODEL, absoluteSource(input.source), ...labelOption(labels), ...extra];
    case 'review':
      return [recipe, dataset, input.source, ...labelOption(labels), ...extra];
    default:
      return assertNever(recipe);
  }
}
