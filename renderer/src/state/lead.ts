// The team lead's state: projects, each project's progress report, and the outcome of the last lead action.
// Everything comes from the core's lead.* commands; nothing here is derived from anything but their answers.
import type { CommandName, CommandRequest, CommandResponse } from '../../../shared/api.ts';
import type { ProgressDetail, ProjectSummary } from '../../../shared/lead.ts';
import type { Project } from '../../../shared/project.ts';
import type { FerryErrorShape, Result } from '../../../shared/result.ts';
import { ferry } from '../bridge/ferry.ts';
import { defineStore } from './store.ts';

export type Outcome<T> = { readonly state: 'idle' } | { readonly state: 'working' } | { readonly state: 'done'; readonly value: T } | { readonly state: 'failed'; readonly error: FerryErrorShape };

export type ProgressEntry = {
  readonly detail: ProgressDetail | null;
  readonly loading: boolean;
  readonly error: FerryErrorShape | null;
  // When the report arrived (this computer's clock), for "updated 12 s ago".
  readonly receivedAt: number | null;
  // The region the drill-down rows were read for (null: every region).
  readonly scope: string | null;
};

// The lead's actions that show their outcome on screen; claim actions are keyed by "region/batch".
type Actions = {
  readonly create: Outcome<CommandResponse<'lead.project.create'>>;
  readonly batches: Outcome<CommandResponse<'lead.batches.create'>>;
  readonly refill: Outcome<CommandResponse<'lead.batches.refill'>>;
  readonly rerank: Outcome<CommandResponse<'lead.batches.rerank'>>;
};
export type ActionName = keyof Actions;

export type ClaimOutcome = Outcome<CommandResponse<'lead.claims.release'>> & { readonly region?: string; readonly batch?: string };

type LeadStore = Actions & {
  readonly projects: { readonly loaded: boolean; readonly list: readonly ProjectSummary[]; readonly problems: readonly { readonly name: string; readonly message: string }[]; readonly error: FerryErrorShape | null };
  readonly projectByName: Readonly<Record<string, Project>>;
  readonly projectErrors: Readonly<Record<string, FerryErrorShape>>;
  readonly progress: Readonly<Record<string, ProgressEntry>>;
  readonly claim: ClaimOutcome;
};

const IDLE = { state: 'idle' } as const;

export const useLead = defineStore<LeadStore>(() => ({
  projects: { loaded: false, list: [], problems: [], error: null },
  projectByName: {},
  projectErrors: {},
  progress: {},
  create: IDLE,
  batches: IDLE,
  refill: IDLE,
  rerank: IDLE,
  claim: IDLE,
}));

const EMPTY_PROGRESS: ProgressEntry = { detail: null, loading: false, error: null, receivedAt: null, scope: null };

export function progressOf(entries: Readonly<Record<string, ProgressEntry>>, project: string): ProgressEntry {
  return entries[project] ?? EMPTY_PROGRESS;
}

export async function loadProjects(): Promise<void> {
  const result = await ferry().invoke('lead.projects.list', {});
  if (!result.ok) {
    useLead.setState({ projects: { ...useLead.getState().projects, loaded: true, error: result.error } });
    return;
  }
  const list = [...result.value.projects].sort((a, b) => a.name.localeCompare(b.name));
  useLead.setState({ projects: { loaded: true, list, problems: result.value.problems, error: null } });
}

export async function loadProject(name: string): Promise<void> {
  const result = await ferry().invoke('lead.project.get', { project: name });
  const { projectByName, projectErrors } = useLead.getState();
  if (result.ok) {
    const { [name]: _gone, ...otherErrors } = projectErrors;
    useLead.setState({ projectByName: { ...projectByName, [name]: result.value }, projectErrors: otherErrors });
  } else {
    useLead.setState({ projectErrors: { ...projectErrors, [name]: result.error } });
  }
}

function setProgress(project: string, patch: Partial<ProgressEntry>): void {
  const { progress } = useLead.getState();
  useLead.setState({ progress: { ...progress, [project]: { ...progressOf(progress, project), ...patch } } });
}

// Reads the project's progress from S3 (a warm refresh after the first); `region` limits the drill-down rows.
export async function refreshProgress(project: string, region?: string): Promise<void> {
  if (progressOf(useLead.getState().progress, project).loading) return;
  setProgress(project, { loading: true });
  const result = await ferry().invoke('lead.progress', region ? { project, region } : { project });
  if (result.ok) setProgress(project, { loading: false, detail: result.value, error: null, receivedAt: Date.now(), scope: region ?? null });
  else setProgress(project, { loading: false, error: result.error });
}

async function perform<A extends ActionName, K extends CommandName>(action: A, name: K, request: CommandRequest<K>): Promise<Result<CommandResponse<K>>> {
  useLead.setState({ [action]: { state: 'working' } } as Partial<LeadStore>);
  const result = await ferry().invoke(name, request);
  useLead.setState({ [action]: result.ok ? { state: 'done', value: result.value } : { state: 'failed', error: result.error } } as Partial<LeadStore>);
  return result;
}

export async function createProject(request: CommandRequest<'lead.project.create'>): Promise<boolean> {
  const result = await perform('create', 'lead.project.create', request);
  if (!result.ok) return false;
  useLead.setState({ projectByName: { ...useLead.getState().projectByName, [result.value.project.name]: result.value.project } });
  void loadProjects();
  return true;
}

export async function createBatches(request: CommandRequest<'lead.batches.create'>): Promise<void> {
  await perform('batches', 'lead.batches.create', request);
}

export async function refillBatches(request: CommandRequest<'lead.batches.refill'>): Promise<void> {
  await perform('refill', 'lead.batches.refill', request);
}

export async function rerankBatches(request: CommandRequest<'lead.batches.rerank'>): Promise<void> {
  await perform('rerank', 'lead.batches.rerank', request);
}

export function forgetOutcome(action: ActionName | 'claim'): void {
  useLead.setState({ [action]: IDLE } as Partial<LeadStore>);
}

export type ClaimTarget = { readonly project: string; readonly region: string; readonly batch: string };

// Releases (to === null) or reassigns a stale claim by compare-and-swap in the core; then reads progress again.
export async function changeClaim(target: ClaimTarget, to: string | null, reason?: string): Promise<boolean> {
  const where = { region: target.region, batch: target.batch };
  useLead.setState({ claim: { state: 'working', ...where } });
  const request = { project: target.project, region: target.region, batch: target.batch, ...(reason ? { reason } : {}) };
  const result = to === null ? await ferry().invoke('lead.claims.release', request) : await ferry().invoke('lead.claims.reassign', { ...request, to });
  useLead.setState({ claim: result.ok ? { state: 'done', value: result.value, ...where } : { state: 'failed', error: result.error, ...where } });
  await refreshProgress(target.project, progressOf(useLead.getState().progress, target.project).scope ?? undefined);
  return result.ok;
}
