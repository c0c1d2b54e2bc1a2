// A tiny hash router: the screen lives in location.hash so reloads and the back button keep working.
// `#/batch/project/region/batch` is one batch's view; its id keeps its slashes so the address reads naturally.
import { defineStore } from './store.ts';

export const ROUTES = ['my-batches', 'settings', 'batch'] as const;
export type Route = (typeof ROUTES)[number];

type Location = { readonly route: Route | null; readonly batchId: string | null };

const BATCH_ID = /^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/;

function locationFromHash(hash: string): Location {
  const path = hash.replace(/^#\/?/, '');
  if (path.startsWith('batch/')) {
    const id = decodeURIComponent(path.slice('batch/'.length));
    return BATCH_ID.test(id) ? { route: 'batch', batchId: id } : { route: null, batchId: null };
  }
  return (ROUTES as readonly string[]).includes(path) && path !== 'batch' ? { route: path as Route, batchId: null } : { route: null, batchId: null };
}

type RouteStore = Location & {
  // The batch whose view was open last, so My batches can put focus back on its row.
  readonly returnTo: string | null;
};

export const useRoute = defineStore<RouteStore>(() => ({ ...locationFromHash(window.location.hash), returnTo: null }));

function arrive(next: Location): void {
  const { route, batchId } = useRoute.getState();
  const leavingBatch = route === 'batch' && next.route !== 'batch' ? batchId : null;
  useRoute.setState({ ...next, ...(leavingBatch ? { returnTo: leavingBatch } : {}) });
}

window.addEventListener('hashchange', () => arrive(locationFromHash(window.location.hash)));

export function hrefFor(route: Exclude<Route, 'batch'>): string {
  return `#/${route}`;
}

export function hrefForBatch(id: string): string {
  return `#/batch/${id.split('/').map(encodeURIComponent).join('/')}`;
}

export function navigate(route: Exclude<Route, 'batch'>): void {
  if (window.location.hash !== hrefFor(route)) window.location.hash = hrefFor(route);
  arrive({ route, batchId: null });
}

export function openBatch(id: string): void {
  if (window.location.hash !== hrefForBatch(id)) window.location.hash = hrefForBatch(id);
  arrive({ route: 'batch', batchId: id });
}

// Called once the row has taken focus, so a later visit to My batches starts at the top again.
export function returnedTo(): void {
  useRoute.setState({ returnTo: null });
}

// The first screen when the address names none: Settings until the workspace is configured.
export function chooseLandingRoute(configured: boolean): void {
  if (useRoute.getState().route === null) navigate(configured ? 'my-batches' : 'settings');
}
