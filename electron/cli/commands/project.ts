// `ferry project create|show|list`: the lead's definition of a project — recipe, labels, regions, pool, review policy.
import type { PoolSource, Project } from '../../../shared/project.ts';
import { FerryError } from '../../../shared/result.ts';
import { EXIT_OK, type CliCommand, type ParsedArgs } from '../command.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';
import { cliCore, invoke } from '../run-core.ts';
import { csv, positiveInt } from '../workspace-io.ts';

const USAGE =
  'ferry project create NAME --recipe RECIPE --labels A,B --regions emea,apac [--dataset NAME] [--model blank:en] [--batch-size N] [--lease-days N]\n' +
  '         [--pool-prefix s3://bucket/raw/]… [--pool-tasks s3://bucket/tasks.jsonl|FILE.csv]… [--review-stages review,qa] [--review-sample 0.2]\n' +
  '         [--prodigy-arg ARG]… [--prodigy-config JSON]\n' +
  '       ferry project show NAME [--json]\n' +
  '       ferry project list [--json]';

function list(value: ParsedArgs['values'][string]): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

function poolSources(v: ParsedArgs['values']): PoolSource[] {
  const prefixes = list(v['pool-prefix']).map((uri): PoolSource => {
    if (!/^s3:\/\/[^/]+\/(.*\/)?$/.test(uri)) throw new FerryError('invalid-request', `--pool-prefix needs an s3://bucket/prefix/ URI ending in "/", not "${uri}".`);
    return { kind: 'files', uri };
  });
  const tasks = list(v['pool-tasks']).map((uri): PoolSource => {
    if (!/\.(jsonl|csv)$/i.test(uri)) throw new FerryError('invalid-request', `--pool-tasks needs a .jsonl or .csv file (s3://bucket/key.jsonl or a path), not "${uri}".`);
    return { kind: 'tasks', uri };
  });
  return [...prefixes, ...tasks];
}

function reviewPolicy(v: ParsedArgs['values']): Project['review'] | undefined {
  if (v['review-stages'] === undefined) return undefined;
  const sample = v['review-sample'] === undefined ? 1 : Number(v['review-sample']);
  if (!(sample >= 0 && sample <= 1)) throw new FerryError('invalid-request', `--review-sample must be a share of batches from 0 to 1, not "${String(v['review-sample'])}".`);
  return { stages: csv(v['review-stages'], '--review-stages').map((name) => ({ name, sample, reviewers: 1 })) };
}

function prodigyConfig(v: ParsedArgs['values']): Record<string, unknown> | undefined {
  if (typeof v['prodigy-config'] !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(v['prodigy-config']);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new FerryError('invalid-request', `--prodigy-config must be a JSON object such as '{"buttons": ["accept", "reject"]}', not ${v['prodigy-config']}.`);
}

function describe(p: Project): string {
  const pool = p.pool.sources.length ? p.pool.sources.map((s) => `${s.kind === 'files' ? 'files in' : 'tasks from'} ${s.uri}`).join('; ') : 'none (pass --pool to batches create)';
  const review = p.review.stages.length ? p.review.stages.map((s) => `${s.name} (${Math.round(s.sample * 100)}%)`).join(' → ') : 'none';
  return `${p.name}: ${p.recipe} with labels ${p.labels.join(', ')} for regions ${p.regions.join(', ')} (dataset ${p.dataset}; batches of ${p.batchSize}; lease ${p.leaseDays} days)\n  pool: ${pool}\n  review: ${review}`;
}

async function create(name: string, args: ParsedArgs, io: CliIo, core: ReturnType<typeof cliCore>): Promise<void> {
  const v = args.values;
  if (typeof v.recipe !== 'string') throw new FerryError('invalid-request', `--recipe is required, e.g. --recipe textcat.manual.\nUsage: ${USAGE}`);
  const batchSize = positiveInt(v['batch-size'], '--batch-size');
  const leaseDays = positiveInt(v['lease-days'], '--lease-days');
  const sources = poolSources(v);
  const review = reviewPolicy(v);
  const config = prodigyConfig(v);
  const prodigyArgs = list(v['prodigy-arg']);
  const { project, notes } = await invoke(core, 'lead.project.create', {
    name,
    recipe: v.recipe,
    labels: csv(v.labels, '--labels'),
    regions: csv(v.regions, '--regions'),
    ...(typeof v.dataset === 'string' ? { dataset: v.dataset } : {}),
    ...(typeof v.model === 'string' ? { model: v.model } : {}),
    ...(batchSize ? { batchSize } : {}),
    ...(leaseDays ? { leaseDays } : {}),
    ...(sources.length ? { pool: { sources } } : {}),
    ...(review ? { review } : {}),
    ...(config ? { prodigyConfig: config } : {}),
    ...(prodigyArgs.length ? { prodigyArgs } : {}),
  });
  for (const note of notes) writeLine(io.stderr, `note: ${note}`);
  if (args.json) writeJson(io.stdout, project);
  else writeLine(io.stdout, `Created project ${project.name} (${project.recipe}; labels ${project.labels.join(', ')}; regions ${project.regions.join(', ')}).`);
}

export const projectCommand: CliCommand = {
  name: 'project',
  summary: 'Create, show or list projects (recipe, labels, regions, pool, review policy) in the team bucket.',
  usage: USAGE,
  allowPositionals: true,
  options: {
    recipe: { type: 'string' },
    labels: { type: 'string' },
    regions: { type: 'string' },
    dataset: { type: 'string' },
    model: { type: 'string' },
    'batch-size': { type: 'string' },
    'lease-days': { type: 'string' },
    'pool-prefix': { type: 'string', multiple: true },
    'pool-tasks': { type: 'string', multiple: true },
    'review-stages': { type: 'string' },
    'review-sample': { type: 'string' },
    'prodigy-arg': { type: 'string', multiple: true },
    'prodigy-config': { type: 'string' },
  },
  async run(args, io) {
    const [action, name] = args.positionals;
    const core = cliCore(args.configPath);
    try {
      if (action === 'list') {
        const { projects, problems } = await invoke(core, 'lead.projects.list', {});
        for (const p of problems) writeLine(io.stderr, `note: project ${p.name} cannot be read: ${p.message}`);
        if (args.json) writeJson(io.stdout, { projects: projects.map((p) => p.name), details: projects });
        else writeLine(io.stdout, projects.length ? projects.map((p) => `${p.name}\t${p.recipe}\t${p.regions.join(',')}`).join('\n') : 'No projects yet. Create one with `ferry project create`.');
        return EXIT_OK;
      }
      if (!name) throw new FerryError('invalid-request', `Name the project.\nUsage: ${USAGE}`);
      if (action === 'show') {
        const project = await invoke(core, 'lead.project.get', { project: name });
        if (args.json) writeJson(io.stdout, project);
        else writeLine(io.stdout, describe(project));
        return EXIT_OK;
      }
      if (action !== 'create') throw new FerryError('invalid-request', `Unknown action "${action ?? ''}".\nUsage: ${USAGE}`);
      await create(name, args, io, core);
      return EXIT_OK;
    } finally {
      await core.close();
    }
  },
};
