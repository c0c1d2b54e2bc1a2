// Left navigation: the wordmark and one link per screen.
import { hrefFor, useRoute, type Route } from '../state/route.ts';
import { useWorkspace } from '../state/workspace.ts';
import { FerryMark, InboxIcon, SettingsIcon } from './icons.tsx';

const NAV: ReadonlyArray<{ readonly route: Route; readonly label: string; readonly Icon: typeof InboxIcon }> = [
  { route: 'my-batches', label: 'My batches', Icon: InboxIcon },
  { route: 'settings', label: 'Settings', Icon: SettingsIcon },
];

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
            <a className="nav-link" href={hrefFor(target)} aria-current={route === target ? 'page' : undefined}>
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
