// A tiny hash router: the screen lives in location.hash so reloads and the back button keep working.
import { defineStore } from './store.ts';

export const ROUTES = ['my-batches', 'settings'] as const;
export type Route = (typeof ROUTES)[number];

function routeFromHash(hash: string): Route | null {
  const name = hash.replace(/^#\/?/, '');
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : null;
}

type RouteStore = { readonly route: Route | null };

export const useRoute = defineStore<RouteStore>(() => ({ route: routeFromHash(window.location.hash) }));

window.addEventListener('hashchange', () => useRoute.setState({ route: routeFromHash(window.location.hash) }));

export function navigate(route: Route): void {
  if (window.location.hash !== `#/${route}`) window.location.hash = `#/${route}`;
  useRoute.setState({ route });
}

export function hrefFor(route: Route): string {
  return `#/${route}`;
}

// The first screen when the address names none: Settings until the workspace is configured.
export function chooseLandingRoute(configured: boolean): void {
  if (useRoute.getState().route === null) navigate(configured ? 'my-batches' : 'settings');
}
