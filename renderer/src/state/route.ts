// A tiny hash router: the screen lives in location.hash so reloads and the back button keep working.
// `#/batch/project/region/batch` is one batch's view; its id keeps its slashes so the address reads naturally.
// The team lead's screens live under `#/lead`: `#/lead` (projects), `#/lead/new`, `#/lead/projects/P` (progress),
// `#/lead/projects/P/batches`, `#/lead/projects/P/regions/R[/annotators/A][/batches/B]` (the drill-down).
import { defineStore } from './store.ts';

export type LeadPlace =
  | { readonly view: 'projects' }
  | { readonly view: 'new-project' }
  | { readonly view: 'dashboard'; readonly project: string }
  | { readonly view: 'batches'; readonly project: string }
  | { readonly view: 'region'; readonly project: string; readonly region: string; readonly annotator: string | null; readonly batch: string | null };

const SEGMENT = /^[A-Za-z0-9._-]+$/;

function leadPlaceFromPath(path: string): LeadPlace | null {
  if (path === '') return { view: 'projects' };
  if (path === 'new') return { view: 'new-project' };
  const parts = path.split('/').map((part) => decodeURIComponent(part));
  if (parts[0] !== 'projects' || !parts.slice(1).every((part) => SEGMENT.test(part))) return null;
  const [, project, section, region, ...rest] = parts;
  if (!project) return null;
  if (section === undefined) return { view: 'dashboard', project };
  if (section === 'batches' && region === undefined) return { view: 'batches', project };
  if (section !== 'regions' || !region) return null;
  const place = { view: 'region' as const, project, region, annotator: null as string | null, batch: null as string | null };
  for (let i = 0; i < rest.length; i += 2) {
    const value = rest[i + 1];
    if (!value) return null;
    if (rest[i] === 'annotators') place.annotator = value;
    else if (rest[i] === 'batches') place.batch = value;
    else return null;
  }
  return place;
}

export function hrefForLead(place: LeadPlace): string {
  const seg = encodeURIComponent;
  switch (place.view) {
    case 'projects':
      return '#/lead';
    case 'new-project':
      return '#/lead/new';
    case 'dashboard':
      return `#/lead/projects/${seg(place.project)}`;
    case 'batches':
      return `#/lead/projects/${seg(place.project)}/batches`;
    case 'region':
      return `#/lead/projects/${seg(place.project)}/regions/${seg(place.region)}${place.annotator ? `/annotators/${seg(place.annotator)}` : ''}${place.batch ? `/batches/${seg(place.batch)}` : ''}`;
  }
}

export const ROUTES = ['my-batches', 'settings', 'batch', 'lead'] as const;
export type Route = (typeof ROUTES)[number];

type Location = { readonly route: Route | null; readonly batchId: string | null; readonly lead: LeadPlace | null };

const BATCH_ID = /^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/;
const NOWHERE: Location = { route: null, batchId: null, lead: null };

function locationFromHash(hash: string): Location {
  const path = hash.replace(/^#\/?/, '');
  if (path.startsWith('batch/')) {
    const id = decodeURIComponent(path.slice('batch/'.length));
    return BATCH_ID.test(id) ? { route: 'batch', batchId: id, lead: null } : NOWHERE;
  }
  if (path === 'lead' || path.startsWith('lead/')) {
    const lead = leadPlaceFromPath(path.slice('lead'.length).replace(/^\//, ''));
    return lead ? { route: 'lead', batchId: null, lead } : NOWHERE;
  }
  return (ROUTES as readonly string[]).includes(path) && path !== 'batch' ? { route: path as Route, batchId: null, lead: null } : NOWHERE;
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
  goTo(hrefFor(route));
}

export function openBatch(id: string): void {
  if (window.location.hash !== hrefForBatch(id)) window.location.hash = hrefForBatch(id);
  arrive({ route: 'batch', batchId: id, lead: null });
}

// Goes to one of the lead's screens by its address (from hrefForLead).
export function goTo(href: string): void {
  if (window.location.hash !== href) window.location.hash = href;
  arrive(locationFromHash(href));
}

// Called once the row has taken focus, so a later visit to My batches starts at the top again.
export function returnedTo(): void {
  useRoute.setState({ returnTo: null });
}

// The first screen when the address names none: Settings until the workspace is configured.
export function chooseLandingRoute(configured: boolean): void {
  if (useRoute.getState().route === null) navigate(configured ? 'my-batches' : 'settings');
}
