// Left navigation: the wordmark, one link per screen, and the team lead's section.
import { FolderIcon } from '../screens/lead/lead-icons.tsx';
import { hrefFor, useRoute, type Route } from '../state/route.ts';
import { useWorkspace } from '../state/workspace.ts';
import { FerryMark, InboxIcon, SettingsIcon } from './icons.tsx';

type NavItem = { readonly route: Exclude<Route, 'batch'>; readonly label: string; readonly Icon: typeof InboxIcon };

const NAV: readonly NavItem[] = [
  { route: 'my-batches', label: 'My batches', Icon: InboxIcon },
  { route: 'settings', label: 'Settings', Icon: SettingsIcon },
];

const LEAD_NAV: readonly NavItem[] = [{ route: 'lead', label: 'Projects', Icon: FolderIcon }];

function sectionOf(route: Route | null): Route | null {
  return route === 'batch' ? 'my-batches' : route;
}

function NavList({ items, route, lead }: { readonly items: readonly NavItem[]; readonly route: Route | null; readonly lead: boolean }) {
  return (
    <ul className="nav-list">
      {items.map(({ route: target, label, Icon }) => (
        <li key={target}>
          {/* A batch's view belongs to My batches (a project's screens to Projects): the link stays highlighted without claiming to be the page. */}
          <a className="nav-link" href={hrefFor(target)} aria-current={route === target && !(target === 'lead' && lead) ? 'page' : undefined} data-section={sectionOf(route) === target || undefined}>
            <Icon />
            <span>{label}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

export function Sidebar() {
  const route = useRoute((s) => s.route);
  // Deeper than the projects list: Projects is the section, not the page.
  const deep = useRoute((s) => s.lead !== null && s.lead.view !== 'projects');
  const info = useWorkspace((s) => s.info);
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="wordmark">
        <FerryMark />
        <span className="wordmark-text">Ferry</span>
      </div>
      <NavList items={NAV} route={route} lead={deep} />
      <div className="nav-section">
        <p className="nav-heading" id="nav-team-lead">
          Team lead
        </p>
        <NavList items={LEAD_NAV} route={route} lead={deep} />
      </div>
      {info && (
        <p className="sidebar-footer">
          Ferry {info.version} · {info.host === 'electron' ? 'desktop' : 'browser'}
        </p>
      )}
    </nav>
  );
}
