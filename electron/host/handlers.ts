// Maps each command of the contract to the capability that answers it.
import type { CoreContext, Handlers } from './core.ts';
import { readWorkspaceFile, saveWorkspaceFile } from '../config/workspace-file.ts';
import { listAwsProfiles } from '../config/aws-profiles.ts';
import { runDoctor } from '../doctor/doctor.ts';
import type { Annotator } from '../annotator/annotator.ts';
import type { WorkspaceHolder } from '../workspace/workspace.ts';
import type { WorkspaceConfig } from '../../shared/config.ts';
import { createLeadHandlers } from '../lead/lead-handlers.ts';

export type Services = { readonly workspaces: WorkspaceHolder; readonly annotator: Annotator };

export function createHandlers(ctx: CoreContext, services: Services): Handlers {
  const { annotator, workspaces } = services;
  return {
    ...createLeadHandlers(ctx, workspaces),
    async 'app.info'() {
      const view = await readWorkspaceFile(ctx.configPath);
      return { version: ctx.version, host: ctx.host === 'electron' ? 'electron' : 'web', configPath: ctx.configPath, configured: view.exists && view.problems.length === 0 };
    },
    async 'config.get'() {
      return await readWorkspaceFile(ctx.configPath);
    },
    async 'config.save'({ config }) {
      const view = await saveWorkspaceFile(ctx.configPath, config);
      await annotator.stopAll();
      await workspaces.reset(); // the next command opens the workspace with the new settings
      return view;
    },
    async 'config.profiles'() {
      return await listAwsProfiles();
    },
    async 'doctor.run'({ config }) {
      if (config) return await runDoctor(config);
      const view = await readWorkspaceFile(ctx.configPath);
      const valid = view.exists && view.problems.length === 0;
      return await runDoctor(valid ? (view.config as WorkspaceConfig) : undefined, view);
    },
    async 'batches.list'() {
      return { batches: await annotator.list() };
    },
    async 'batches.get'({ id }) {
      return await annotator.get(id);
    },
    async 'batches.claimNext'({ project }) {
      return await annotator.claimNext(project);
    },
    async 'batches.open'({ id }) {
      return await annotator.open(id);
    },
    async 'batches.stop'({ id }) {
      return await annotator.stop(id);
    },
    async 'batches.submit'({ id }) {
      return await annotator.submit(id);
    },
    async 'status.get'() {
      return await annotator.status();
    },
    async 'sync.now'() {
      return await annotator.syncNow();
    },
  };
}
