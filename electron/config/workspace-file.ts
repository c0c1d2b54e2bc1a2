// Reads, validates and writes the workspace file (bucket, prefix, who I am, where my data lives).
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { z } from 'zod';
import type { ConfigView } from '../../shared/api.ts';
import { CONFIG_FIELDS, describeConfigIssues, WorkspaceConfigSchema, type WorkspaceConfig } from '../../shared/config.ts';
import { FerryError } from '../../shared/result.ts';
import { findJsonSyntaxProblem } from './json-syntax.ts';

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.FERRY_CONFIG) return resolve(env.FERRY_CONFIG);
  return join(appConfigDir(env, platform), 'workspace.json');
}

function appConfigDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Ferry');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Ferry');
  const xdg = env.XDG_CONFIG_HOME;
  // XDG says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.config'), 'ferry');
}

function errnoOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

// Zod says "expected string, received undefined" for an absent field; a person wants "missing".
function describeProblems(error: z.ZodError, raw: Record<string, unknown>): string[] {
  const described = describeConfigIssues(error);
  return error.issues.map((issue, index) => {
    const field = issue.path[0];
    if (issue.code === 'invalid_type' && issue.path.length === 1 && typeof field === 'string' && !Object.hasOwn(raw, field)) {
      return `${field}: this required field is missing`;
    }
    return described[index]!;
  });
}

// Each field that is valid on its own, so the Settings screen can show what was readable.
function validFields(raw: Record<string, unknown>): Partial<WorkspaceConfig> {
  const partial: Record<string, unknown> = {};
  for (const field of CONFIG_FIELDS) {
    if (!Object.hasOwn(raw, field)) continue;
    const parsed = WorkspaceConfigSchema.shape[field].safeParse(raw[field]);
    if (parsed.success) partial[field] = parsed.data;
  }
  return partial as Partial<WorkspaceConfig>;
}

export async function readWorkspaceFile(path: string): Promise<ConfigView> {
  const name = basename(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { path, exists: false, config: {}, problems: [] };
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder, not a file' : (error as Error).message;
    return { path, exists: true, config: {}, problems: [`${name}: cannot be read (${why})`] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const where = findJsonSyntaxProblem(text);
    const problem = where ? `${name} line ${where.line}, column ${where.column}: ${where.reason}` : `${name}: ${(error as Error).message}`;
    return { path, exists: true, config: {}, problems: [problem] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { path, exists: true, config: {}, problems: [`${name}: expected a JSON object with the fields ${CONFIG_FIELDS.join(', ')}`] };
  }
  const record = raw as Record<string, unknown>;
  const parsed = WorkspaceConfigSchema.safeParse(record);
  if (parsed.success) return { path, exists: true, config: parsed.data, problems: [] };
  return { path, exists: true, config: validFields(record), problems: describeProblems(parsed.error, record) };
}

function expandDataDir(dataDir: string, configPath: string): string {
  if (dataDir === '~') return homedir();
  if (dataDir.startsWith('~/') || dataDir.startsWith('~\\')) return join(homedir(), dataDir.slice(2));
  return resolve(dirname(resolve(configPath)), dataDir);
}

export async function loadWorkspaceConfig(path: string): Promise<WorkspaceConfig> {
  const view = await readWorkspaceFile(path);
  if (!view.exists) {
    throw new FerryError('config-missing', `No workspace file at ${path}. Create one with \`ferry init\` or the Settings screen, or pass --config FILE.`);
  }
  if (view.problems.length > 0) {
    throw new FerryError('config-invalid', `The workspace file ${path} is not valid: ${view.problems.join('; ')}.`);
  }
  const config = WorkspaceConfigSchema.parse(view.config);
  return { ...config, dataDir: expandDataDir(config.dataDir, path) };
}

export async function saveWorkspaceFile(path: string, config: unknown): Promise<ConfigView> {
  const parsed = WorkspaceConfigSchema.safeParse(config);
  if (!parsed.success) {
    const record = typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : {};
    throw new FerryError('config-invalid', `Not saved to ${path}: ${describeProblems(parsed.error, record).join('; ')}.`);
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  // Temp file + rename: a crash mid-write leaves the old file, never half a file.
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(parsed.data, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    const code = errnoOf(error);
    if (code === 'ENOSPC') throw new FerryError('disk-full', `Not enough disk space to save ${path}. Free some space and save again.`);
    throw new FerryError('internal', `Could not save the workspace file ${path}: ${(error as Error).message}`, (error as Error).stack);
  }
  return await readWorkspaceFile(path);
}
