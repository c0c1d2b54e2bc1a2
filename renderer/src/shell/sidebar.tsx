// Left navigation: the wordmark and one link per screen.
import { hrefFor, useRoute, type Route } from '../state/route.ts';
import { useWorkspace } from '../state/workspace.ts';
import { FerryMark, InboxIcon, SettingsIcon } from './icons.tsx';

const NAV: ReadonlyArray<{ readonly route: Exclude<Route, 'batch'>; readonly label: string; readonly Icon: typeof InboxIcon }> = [
  { route: 'my-batches', label: 'My batches', Icon: InboxIcon },
  { route: 'settings', label: 'Settings', Icon: SettingsIcon },
];

function sectionOf(route: Route | null): Route | null {
  return route === 'batch' ? 'my-batches' : route;
}

export function Sidebar() {
  const route = useRoute((s) => s.route);
  const info = useWorkspace((s) => s.info);
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="wordmark">
        <FerryMark />
        <span className="wordmark-text">Ferry</span>
      </div>
      <ul className="nav-list">
        {NAV.map(({ route: target, label, Icon }) => (
          <li key={target}>
            {/* A batch's view belongs to My batches: the link stays highlighted without claiming to be the page. */}
            <a className="nav-link" href={hrefFor(target)} aria-current={route === target ? 'page' : undefined} data-section={sectionOf(route) === target || undefined}>
              <Icon />
              <span>{label}</span>
            </a>
          </li>
        ))}
      </ul>
      {info && (
        <p className="sidebar-footer">
          Ferry {info.version} · {info.host === 'electron' ? 'desktop' : 'browser'}
        </p>
      )}
    </nav>
  );
}
