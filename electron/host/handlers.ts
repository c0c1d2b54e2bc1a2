// Maps each command of the contract to the capability that answers it.
import type { CoreContext, Handlers } from './core.ts';
import { readWorkspaceFile, saveWorkspaceFile } from '../config/workspace-file.ts';
import { listAwsProfiles } from '../config/aws-profiles.ts';
import { runDoctor } from '../doctor/doctor.ts';

export function createHandlers(ctx: CoreContext): Handlers {
  return {
    async 'app.info'() {
      const view = await readWorkspaceFile(ctx.configPath);
      return { version: ctx.version, host: ctx.host === 'electron' ? 'electron' : 'web', configPath: ctx.configPath, configured: view.exists && view.problems.length === 0 };
    },
    async 'config.get'() {
      return await readWorkspaceFile(ctx.configPath);
    },
    async 'config.save'({ config }) {
      return await saveWorkspaceFile(ctx.configPath, config);
    },
    async 'config.profiles'() {
      return await listAwsProfiles();
    },
    async 'doctor.run'({ config }) {
      if (config) return await runDoctor(config);
      const view = await readWorkspaceFile(ctx.configPath);
      return await runDoctor(view.problems.length === 0 && view.exists ? (view.config as never) : undefined, view);
    },
  };
}
