// Projects: every project in the bucket with its recipe, labels and regions; New project; each row opens its progress.
import { useEffect } from 'react';
import type { ProjectSummary } from '../../../../shared/lead.ts';
import { WarningIcon } from '../../shell/icons.tsx';
import { loadProjects, useLead } from '../../state/lead.ts';
import { hrefForLead } from '../../state/route.ts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { ChevronRightIcon } from '../batch/icons.tsx';
import { FolderIcon, PlusIcon } from './lead-icons.tsx';
import { Chips } from './lead-parts.tsx';

function NewProjectLink() {
  return (
    <a className="button button-primary button-lg" href={hrefForLead({ view: 'new-project' })}>
      <PlusIcon />
      New project
    </a>
  );
}

function ProjectRow({ project }: { readonly project: ProjectSummary }) {
  return (
    <tr className="batch-row lead-row" data-project={project.name}>
      <td>
        <a className="row-link lead-row-link" href={hrefForLead({ view: 'dashboard', project: project.name })}>
          {project.name}
        </a>
        {project.dataset !== project.name && <span className="cell-sub">dataset {project.dataset}</span>}
      </td>
      <td className="cell-recipe">{project.recipe}</td>
      <td>
        <Chips items={project.labels} label={`Labels of ${project.name}`} />
      </td>
      <td>
        <Chips items={project.regions} label={`Regions of ${project.name}`} mono />
      </td>
      <td className="cell-num">{project.batchSize}</td>
      <td className="cell-sync">
        <RelativeTime iso={project.createdAt} />
        <span className="cell-sub">by {project.createdBy}</span>
      </td>
      <td className="cell-go" aria-hidden="true">
        <ChevronRightIcon />
      </td>
    </tr>
  );
}

function ProjectTable({ projects }: { readonly projects: readonly ProjectSummary[] }) {
  return (
    <div className="card table-card">
      <table className="batch-table" aria-label="Projects">
        <thead>
          <tr>
            <th scope="col">Project</th>
            <th scope="col">Recipe</th>
            <th scope="col">Labels</th>
            <th scope="col">Regions</th>
            <th scope="col" className="cell-num">
              Batch size
            </th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Open</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {projects.map((project) => (
            <ProjectRow key={project.name} project={project} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EmptyState() {
  return (
    <div className="card empty-state" data-testid="projects-empty">
      <div className="empty-state-icon">
        <FolderIcon />
      </div>
      <h2>No projects yet</h2>
      <p>A project says what your annotators label: the Prodigy recipe, its labels, and the regions that work on it.</p>
      <NewProjectLink />
    </div>
  );
}

function Unreadable() {
  const problems = useLead((s) => s.projects.problems);
  if (problems.length === 0) return null;
  return (
    <div className="banner banner-warning" role="status">
      <WarningIcon className="banner-icon" />
      <div className="banner-body">
        <p className="banner-title">{problems.length === 1 ? 'One project could not be read' : `${problems.length} projects could not be read`}</p>
        <ul>
          {problems.map((p) => (
            <li key={p.name}>
              <strong>{p.name}</strong>: {p.message}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

export function ProjectsScreen() {
  const { loaded, list, error } = useLead((s) => s.projects);
  useEffect(() => {
    void loadProjects();
  }, []);
  return (
    <section className="screen" aria-labelledby="projects-title">
      <header className="screen-header screen-header-actions">
        <div className="screen-header-text">
          <p className="eyebrow">Team lead</p>
          <h1 id="projects-title">Projects</h1>
          <p className="screen-lede">What your regional teams label. Open a project to see how far each region has come.</p>
        </div>
        {list.length > 0 && <NewProjectLink />}
      </header>
      {error && <ErrorBanner title="Ferry could not list the projects" error={error} />}
      <Unreadable />
      {!loaded ? <div className="card table-card table-loading" aria-busy="true" /> : list.length === 0 ? !error && <EmptyState /> : <ProjectTable projects={list} />}
    </section>
  );
}
