// What the app knows about its workspace file: loaded once at start, refreshed when Settings saves.
import type { AppInfo, ConfigView } from '../../../shared/api.ts';
import type { FerryErrorShape } from '../../../shared/result.ts';
import { ferry } from '../bridge/ferry.ts';
import { defineStore } from './store.ts';

type WorkspaceStore = {
  readonly info: AppInfo | null;
  readonly view: ConfigView | null;
  readonly loadError: FerryErrorShape | null;
};

export const useWorkspace = defineStore<WorkspaceStore>(() => ({ info: null, view: null, loadError: null }));

export async function loadWorkspace(): Promise<void> {
  const [info, view] = await Promise.all([ferry().invoke('app.info', {}), ferry().invoke('config.get', {})]);
  useWorkspace.setState({
    info: info.ok ? info.value : null,
    view: view.ok ? view.value : null,
    loadError: !info.ok ? info.error : !view.ok ? view.error : null,
  });
}

export function workspaceSaved(view: ConfigView): void {
  const info = useWorkspace.getState().info;
  useWorkspace.setState({ view, info: info ? { ...info, configured: isConfigured(view) } : info });
}

export function isConfigured(view: ConfigView | null): boolean {
  return view !== null && view.exists && view.problems.length === 0;
}
