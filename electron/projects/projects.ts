// Projects in S3 (projects/P/project.json): created once, read by every app that works on the project.
import type { S3Client } from '@aws-sdk/client-s3';
import type { ProjectSummary } from '../../shared/lead.ts';
import { ProjectSchema, RECIPES, RECIPES_WITH_MODEL, type PoolSource, type Project, type Recipe, type ReviewPolicy } from '../../shared/project.ts';
import { FerryError } from '../../shared/result.ts';
import { parseProjectKey, projectKey, projectsPrefix } from '../../shared/s3-layout.ts';
import { createPointer, getJson, listKeys } from '../s3/objects.ts';

export type S3Target = { readonly client: S3Client; readonly bucket: string; readonly prefix: string };

export type NewProject = {
  readonly name: string;
  readonly recipe: string;
  readonly labels: readonly string[];
  readonly regions: readonly string[];
  readonly dataset?: string;
  readonly model?: string;
  readonly batchSize?: number;
  readonly leaseDays?: number;
  readonly prodigyArgs?: readonly string[];
  readonly prodigyConfig?: Record<string, unknown>;
  readonly pool?: { readonly sources: readonly PoolSource[] };
  readonly review?: ReviewPolicy;
  readonly createdBy: string;
};

function isRecipe(value: string): value is Recipe {
  return (RECIPES as readonly string[]).includes(value);
}

export function buildProject(input: NewProject, now = new Date()): Project {
  if (!isRecipe(input.recipe)) {
    throw new FerryError('malformed-input', `Unknown recipe "${input.recipe}". Ferry supports: ${RECIPES.join(', ')}.`);
  }
  const candidate = {
    kind: 'ferry.project',
    version: 1,
    name: input.name,
    recipe: input.recipe,
    labels: [...new Set(input.labels.map((l) => l.trim()).filter((l) => l.length > 0))],
    regions: [...new Set(input.regions.map((r) => r.trim()).filter((r) => r.length > 0))],
    dataset: input.dataset ?? input.name,
    model: input.model ?? (RECIPES_WITH_MODEL.has(input.recipe) ? 'blank:en' : undefined),
    prodigyArgs: input.prodigyArgs ? [...input.prodigyArgs] : [],
    prodigyConfig: input.prodigyConfig ?? {},
    batchSize: input.batchSize ?? 50,
    leaseDays: input.leaseDays ?? 7,
    pool: { sources: input.pool ? [...input.pool.sources] : [] },
    review: input.review ?? { stages: [] },
    createdAt: now.toISOString(),
    createdBy: input.createdBy,
  };
  const parsed = ProjectSchema.safeParse(Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined)));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'project'}: ${i.message}`).join('; ');
    throw new FerryError('malformed-input', `The project "${input.name}" is not valid: ${problems}.`);
  }
  return parsed.data;
}

export async function createProject(target: S3Target, input: NewProject, options: { readonly checkPool?: (project: Project) => Promise<void> } = {}): Promise<Project> {
  const project = buildProject(input);
  // A pool prefix that does not exist or holds nothing usable is found now, not at the first batch.
  await options.checkPool?.(project);
  const key = projectKey(target.prefix, project.name);
  // A project is created once; the create-only write tells us if someone else already made one by this name.
  const result = await createPointer(target.client, target.bucket, key, JSON.stringify(project, null, 2), { contentType: 'application/json' });
  if (!result.created) {
    throw new FerryError('conflict', `Project "${project.name}" already exists (s3://${target.bucket}/${key}). Choose another name or use it as it is.`);
  }
  return project;
}

export async function readProject(target: S3Target, name: string): Promise<Project> {
  const key = projectKey(target.prefix, name);
  try {
    return (await getJson(target.client, target.bucket, key, ProjectSchema)).value;
  } catch (error) {
    if (error instanceof FerryError && error.code === 'not-found') {
      throw new FerryError('not-found', `There is no project "${name}" in s3://${target.bucket}/${target.prefix}. Create it with \`ferry project create ${name} …\`.`);
    }
    throw error;
  }
}

export async function listProjectNames(target: S3Target): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of listKeys(target.client, target.bucket, projectsPrefix(target.prefix))) {
    const parsed = parseProjectKey(target.prefix, entry.key);
    if (parsed) names.push(parsed.project);
  }
  return names.sort();
}

export function assertRegion(project: Project, region: string): void {
  if (!project.regions.includes(region)) {
    throw new FerryError('malformed-input', `Region "${region}" is not part of project "${project.name}" (its regions: ${project.regions.join(', ')}).`);
  }
}

// Every project with what a list needs; a project.json that cannot be read is listed with its problem, not dropped.
export async function listProjects(target: S3Target): Promise<{ projects: ProjectSummary[]; problems: { name: string; message: string }[] }> {
  const projects: ProjectSummary[] = [];
  const problems: { name: string; message: string }[] = [];
  for (const name of await listProjectNames(target)) {
    try {
      const p = await readProject(target, name);
      projects.push({ name: p.name, recipe: p.recipe, labels: p.labels, regions: p.regions, dataset: p.dataset, batchSize: p.batchSize, createdAt: p.createdAt, createdBy: p.createdBy, poolSources: p.pool.sources.length, reviewStages: p.review.stages.length });
    } catch (error) {
      problems.push({ name, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { projects, problems };
}
