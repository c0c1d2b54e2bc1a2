// A project's header on its Progress and Batches tabs: where it sits, what it annotates, and the tabs themselves.
import { useEffect, type ReactNode } from 'react';
import { loadProject, useLead } from '../../state/lead.ts';
import { hrefForLead } from '../../state/route.ts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { Breadcrumbs, Chips, plural } from './lead-parts.tsx';

type Tab = 'dashboard' | 'batches';

const TABS: ReadonlyArray<{ readonly tab: Tab; readonly label: string }> = [
  { tab: 'dashboard', label: 'Progress' },
  { tab: 'batches', label: 'Batches' },
];

function useProject(name: string) {
  const project = useLead((s) => s.projectByName[name]);
  const error = useLead((s) => s.projectErrors[name]);
  useEffect(() => {
    void loadProject(name);
  }, [name]);
  return { project, error };
}

export function ProjectFrame({ name, tab, actions, children }: { readonly name: string; readonly tab: Tab; readonly actions?: ReactNode; readonly children: ReactNode }) {
  const { project, error } = useProject(name);
  return (
    <section className="screen screen-wide" aria-labelledby="project-title">
      <header className="screen-header project-header">
        <Breadcrumbs items={[{ label: 'Projects', href: hrefForLead({ view: 'projects' }) }, { label: name }]} />
        <h1 id="project-title">{name}</h1>
        {project && (
          <div className="project-meta">
            <span className="mono">{project.recipe}</span>
            <span className="meta-sep" aria-hidden="true" />
            <Chips items={project.labels} label="Labels" />
            <span className="meta-sep" aria-hidden="true" />
            <Chips items={project.regions} label="Regions" mono />
            <span className="meta-sep" aria-hidden="true" />
            <span>
              {plural(project.batchSize, 'task')} per batch · {plural(project.leaseDays, 'day')} lease
            </span>
          </div>
        )}
      </header>
      <div className="tabs-bar">
        <nav className="tabs" aria-label={`${name} views`}>
          {TABS.map((t) => (
            <a key={t.tab} className="tab" href={hrefForLead({ view: t.tab, project: name })} aria-current={t.tab === tab ? 'page' : undefined}>
              {t.label}
            </a>
          ))}
        </nav>
        {actions}
      </div>
      {error && <ErrorBanner title={`Ferry could not read project ${name}`} error={error} />}
      {children}
    </section>
  );
}
