// The New project form as plain values: what a person typed, checked before it goes to the core, and the core's
// own refusals put back next to the field they are about.
import type { CommandRequest } from '../../../../shared/api.ts';
import { ID_PATTERN, RECIPES, type PoolSource } from '../../../../shared/project.ts';
import type { FerryErrorShape } from '../../../../shared/result.ts';

export type NewProjectForm = {
  readonly name: string;
  readonly recipe: string;
  readonly model: string;
  readonly labels: string;
  readonly regions: string;
  readonly batchSize: string;
  readonly leaseDays: string;
  readonly dataset: string;
  readonly pool: string;
};
export type ProjectField = keyof NewProjectForm;
export type FormErrors = Partial<Record<ProjectField, readonly string[]>>;

export const EMPTY_FORM: NewProjectForm = { name: '', recipe: 'textcat.manual', model: '', labels: '', regions: '', batchSize: '50', leaseDays: '7', dataset: '', pool: '' };

const ID_RULE = 'letters, digits, ".", "_" or "-", starting with a letter or digit (at most 64)';

function idProblem(value: string): string | null {
  return ID_PATTERN.test(value) && !value.includes('..') ? null : ID_RULE;
}

export function splitList(value: string): string[] {
  return [...new Set(value.split(/[,\n]/).map((v) => v.trim()).filter((v) => v.length > 0))];
}

function poolSources(text: string, errors: string[]): PoolSource[] {
  const sources: PoolSource[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    if (/^s3:\/\/[^/]+\/(.*\/)?$/.test(line)) sources.push({ kind: 'files', uri: line });
    else if (/\.(jsonl|csv)$/i.test(line)) sources.push({ kind: 'tasks', uri: line });
    else errors.push(`Line ${i + 1} ("${line}") is neither an s3://bucket/prefix/ ending in "/" nor a .jsonl or .csv task file.`);
  }
  return sources;
}

export type Checked = { readonly request: CommandRequest<'lead.project.create'> | null; readonly errors: FormErrors };

export function checkNewProject(form: NewProjectForm): Checked {
  const errors: Record<string, string[]> = {};
  const add = (field: ProjectField, message: string) => (errors[field] ??= []).push(message);
  const name = form.name.trim();
  if (!name) add('name', 'Give the project a name.');
  else if (idProblem(name)) add('name', `Use ${ID_RULE}.`);
  if (!(RECIPES as readonly string[]).includes(form.recipe)) add('recipe', `Choose one of ${RECIPES.join(', ')}.`);
  const labels = splitList(form.labels);
  if (labels.length === 0) add('labels', 'Name at least one label, separated by commas.');
  const regions = splitList(form.regions);
  if (regions.length === 0) add('regions', 'Name at least one region, separated by commas (e.g. emea, apac).');
  for (const region of regions) if (idProblem(region)) add('regions', `"${region}" is not a region name: use ${ID_RULE}.`);
  const batchSize = Number(form.batchSize.trim());
  if (!/^\d+$/.test(form.batchSize.trim()) || batchSize < 1) add('batchSize', 'A whole number of tasks, at least 1.');
  const leaseDays = Number(form.leaseDays.trim());
  if (!form.leaseDays.trim() || !Number.isFinite(leaseDays) || leaseDays <= 0) add('leaseDays', 'A number of days greater than 0 (e.g. 7 or 0.5).');
  const dataset = form.dataset.trim();
  if (dataset && idProblem(dataset)) add('dataset', `Use ${ID_RULE}.`);
  const poolErrors: string[] = [];
  const sources = poolSources(form.pool, poolErrors);
  for (const message of poolErrors) add('pool', message);
  if (Object.keys(errors).length > 0) return { request: null, errors };
  return {
    errors: {},
    request: {
      name,
      recipe: form.recipe,
      labels,
      regions,
      batchSize,
      leaseDays,
      ...(dataset ? { dataset } : {}),
      ...(form.model.trim() ? { model: form.model.trim() } : {}),
      ...(sources.length ? { pool: { sources } } : {}),
    },
  };
}

const FIELD_OF_PATH: Readonly<Record<string, ProjectField>> = { name: 'name', recipe: 'recipe', model: 'model', labels: 'labels', regions: 'regions', batchSize: 'batchSize', leaseDays: 'leaseDays', dataset: 'dataset', pool: 'pool' };

// "… is not valid: regions.1: must not contain ".."; labels: …" → each problem next to its field; the rest stays general.
export function errorsFromCore(error: FerryErrorShape): { readonly fields: FormErrors; readonly general: string | null } {
  if (error.code === 'conflict' && /already exists/.test(error.message)) return { fields: { name: [error.message] }, general: null };
  if (/^Unknown recipe/.test(error.message)) return { fields: { recipe: [error.message] }, general: null };
  const list = /is not valid: (.*)$/s.exec(error.message)?.[1];
  // The pool is checked while the project is created: a prefix that does not exist or holds no usable files.
  if (!list) return /\bpool\b/i.test(error.message) ? { fields: { pool: [error.message] }, general: null } : { fields: {}, general: error.message };
  const fields: Record<string, string[]> = {};
  const rest: string[] = [];
  for (const part of list.replace(/\.$/, '').split('; ')) {
    const match = /^([A-Za-z]+)[\w.]*: (.*)$/s.exec(part);
    const field = match ? FIELD_OF_PATH[match[1]!] : undefined;
    if (field) (fields[field] ??= []).push(match![2]!);
    else rest.push(part);
  }
  return { fields, general: rest.length ? rest.join('; ') : null };
}
