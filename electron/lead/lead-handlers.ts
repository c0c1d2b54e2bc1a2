// The team lead's contract commands (lead.*): each opens the workspace (S3 target, local index) and calls its capability.
import type { CoreContext, Handlers } from '../host/core.ts';
import type { WorkspaceHolder } from '../workspace/workspace.ts';
import { createBatches } from '../batches/create-batches.ts';
import { checkPoolSources } from '../batches/pool-check.ts';
import { showList } from '../batches/pool-files.ts';
import { refillBatches } from '../batches/refill.ts';
import { rerankBatches } from '../batches/rerank.ts';
import { createProject, listProjects, readProject } from '../projects/projects.ts';
import { reassignClaim, releaseClaim, type ClaimChange } from './claims.ts';
import { loadProgress } from './progress.ts';

type LeadCommand = 'lead.projects.list' | 'lead.project.get' | 'lead.project.create' | 'lead.batches.create' | 'lead.batches.refill' | 'lead.batches.rerank' | 'lead.progress' | 'lead.claims.release' | 'lead.claims.reassign';

function claimView(change: ClaimChange) {
  const { record: _record, claim: _claim, ...view } = change;
  return view;
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function createLeadHandlers(ctx: CoreContext, workspaces: WorkspaceHolder): Pick<Handlers, LeadCommand> {
  return {
    async 'lead.projects.list'() {
      const ws = await workspaces.get();
      return await listProjects(ws.target);
    },
    async 'lead.project.get'({ project }) {
      const ws = await workspaces.get();
      return await readProject(ws.target, project);
    },
    async 'lead.project.create'(request) {
      const ws = await workspaces.get();
      const notes: string[] = [];
      const project = await createProject(ws.target, { ...withoutUndefined(request), createdBy: ws.config.annotator }, {
        async checkPool(p) {
          for (const check of await checkPoolSources(ws.target, p.pool.sources)) {
            if (check.unsupported.length) notes.push(`${check.uri} holds ${check.unsupported.length} file(s) Ferry cannot make tasks of; they will be skipped: ${showList(check.unsupported)}.`);
          }
        },
      });
      return { project, notes };
    },
    async 'lead.batches.create'(request) {
      const ws = await workspaces.get();
      return await createBatches(ws.target, { ...withoutUndefined(request), createdBy: ws.config.annotator, index: ws.store.lead });
    },
    async 'lead.batches.refill'(request) {
      const ws = await workspaces.get();
      return await refillBatches(ws.target, { ...withoutUndefined(request), createdBy: ws.config.annotator, index: ws.store.lead });
    },
    async 'lead.batches.rerank'(request) {
      const ws = await workspaces.get();
      return await rerankBatches(ws.target, { ...withoutUndefined(request), createdBy: ws.config.annotator, index: ws.store.lead });
    },
    async 'lead.progress'(request) {
      const ws = await workspaces.get();
      return await loadProgress(ws.target, { ...withoutUndefined(request), index: ws.store.lead });
    },
    async 'lead.claims.release'(request) {
      const ws = await workspaces.get();
      return claimView(await releaseClaim(ws.target, { ...withoutUndefined(request), actor: ws.config.annotator, appVersion: ctx.version }));
    },
    async 'lead.claims.reassign'(request) {
      const ws = await workspaces.get();
      return claimView(await reassignClaim(ws.target, { ...withoutUndefined(request), actor: ws.config.annotator, appVersion: ctx.version }));
    },
  };
}
