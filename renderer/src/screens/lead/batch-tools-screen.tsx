// A project's Batches tab: Create batches, and Refill / Rerank for the loop that keeps going.
import { useEffect } from 'react';
import type { Project } from '../../../../shared/project.ts';
import { forgetOutcome, useLead } from '../../state/lead.ts';
import { CheckIcon } from '../../shell/icons.tsx';
import { CreateBatchesCard } from './create-batches-card.tsx';
import { RefillCard, RerankCard } from './keep-going-cards.tsx';
import { ProjectFrame } from './project-frame.tsx';

function Created({ name }: { readonly name: string }) {
  const created = useLead((s) => (s.create.state === 'done' && s.create.value.project.name === name ? s.create.value : null));
  if (!created) return null;
  return (
    <div className="banner banner-success" role="status" data-testid="project-created">
      <CheckIcon className="banner-icon" />
      <div className="banner-body">
        <p className="banner-title">Project {name} is ready</p>
        <p>Create its first batches for each region below; annotators can claim them straight away.</p>
        {created.notes.length > 0 && (
          <ul>
            {created.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
      </div>
      <button type="button" className="button button-quiet banner-dismiss" onClick={() => forgetOutcome('create')}>
        Dismiss
      </button>
    </div>
  );
}

function PoolCard({ project }: { readonly project: Project }) {
  const sources = project.pool.sources;
  return (
    <section className="card tool-card" aria-labelledby="pool-title">
      <div className="tool-card-head">
        <h2 id="pool-title">Pool</h2>
        <p>{sources.length ? 'Where new batches take their tasks from unless you name a pool file.' : 'This project has no pool of its own: name a pool file when you create batches.'}</p>
      </div>
      {sources.length > 0 && (
        <ul className="pool-list">
          {sources.map((s) => (
            <li key={s.uri}>
              <span className="pool-kind">{s.kind === 'files' ? 'Files' : 'Tasks'}</span>
              <code>{s.uri}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function BatchToolsScreen({ name }: { readonly name: string }) {
  // ProjectFrame loads the project; this screen only reads it.
  const project = useLead((s) => s.projectByName[name]);
  useEffect(() => {
    forgetOutcome('batches');
    forgetOutcome('refill');
    forgetOutcome('rerank');
  }, [name]);
  return (
    <ProjectFrame name={name} tab="batches">
      <Created name={name} />
      {!project ? (
        <div className="card table-loading" aria-busy="true" />
      ) : (
        <div className="tools-layout">
          <CreateBatchesCard project={project} />
          <div className="tools-side">
            <PoolCard project={project} />
            <RefillCard project={project} />
            <RerankCard project={project} />
          </div>
        </div>
      )}
    </ProjectFrame>
  );
}
