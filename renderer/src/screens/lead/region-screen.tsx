// The drill-down: one region (optionally one annotator in it) with its people and every batch, and one batch's details.
import { useEffect, useMemo, useState } from 'react';
import { BATCH_STATES, type BatchProgress, type BatchState, type RegionProgress } from '../../../../shared/lead.ts';
import { progressOf, refreshProgress, useLead } from '../../state/lead.ts';
import { hrefForLead } from '../../state/route.ts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { AnnotatorsTable } from './annotators-table.tsx';
import { BatchDetail } from './batch-detail.tsx';
import { BatchList } from './batch-list.tsx';
import { AnswerKindItems, BATCH_STATE_TEXT, Breadcrumbs, formatCount, plural, StateBar, StateCounts } from './lead-parts.tsx';
import { RefreshControl } from './refresh-control.tsx';

type Filter = 'all' | 'stale' | BatchState;

type Props = { readonly project: string; readonly region: string; readonly annotator: string | null; readonly batch: string | null };

function FilterChips({ rows, filter, onFilter }: { readonly rows: readonly BatchProgress[]; readonly filter: Filter; readonly onFilter: (f: Filter) => void }) {
  const count = (f: Filter) => (f === 'all' ? rows.length : f === 'stale' ? rows.filter((b) => b.stale).length : rows.filter((b) => b.status === f).length);
  const filters: Filter[] = ['all', ...BATCH_STATES, ...(rows.some((b) => b.status === 'retired') ? (['retired'] as const) : []), 'stale'];
  return (
    <div className="filter-chips" role="group" aria-label="Show batches">
      {filters.map((f) => (
        <button key={f} type="button" className="filter-chip" data-state={f} aria-pressed={filter === f} onClick={() => onFilter(f)} data-alert={f === 'stale' && count(f) > 0 ? true : undefined}>
          {f === 'all' ? 'All' : f === 'stale' ? 'Stale' : BATCH_STATE_TEXT[f]}
          <span className="filter-count">{formatCount(count(f))}</span>
        </button>
      ))}
    </div>
  );
}

function Summary({ region }: { readonly region: RegionProgress }) {
  const a = region.answers;
  return (
    <div className="region-summary card">
      <StateBar counts={region.batches} size="lg" />
      <StateCounts counts={region.batches} />
      <dl className="region-facts">
        <div>
          <dt>Batches</dt>
          <dd>{formatCount(region.batches.total - region.batches.retired)}</dd>
        </div>
        <div>
          <dt>Answers</dt>
          <dd>{formatCount(a.total)}</dd>
        </div>
        <AnswerKindItems counts={a} />
        <div data-tone={region.staleClaims.length ? 'alert' : undefined}>
          <dt>Stale claims</dt>
          <dd>{formatCount(region.staleClaims.length)}</dd>
        </div>
      </dl>
    </div>
  );
}

export function RegionScreen({ project, region, annotator, batch }: Props) {
  const entry = useLead((s) => progressOf(s.progress, project));
  const [filter, setFilter] = useState<Filter>('all');
  const [search, setSearch] = useState('');
  useEffect(() => {
    void refreshProgress(project, region);
  }, [project, region]);
  const summary = entry.detail?.regions.find((r) => r.region === region) ?? null;
  const rowsReady = entry.detail !== null && (entry.scope === null || entry.scope === region);
  const all = useMemo(() => (rowsReady ? entry.detail!.batches.filter((b) => b.region === region) : []), [rowsReady, entry.detail, region]);
  const mine = annotator ? all.filter((b) => b.holder === annotator || b.submittedBy.includes(annotator)) : all;
  const term = search.trim().toLowerCase();
  const shown = mine.filter((b) => (filter === 'all' || (filter === 'stale' ? b.stale : b.status === filter)) && (!term || b.batch.toLowerCase().includes(term)));
  const selected = batch ? (all.find((b) => b.batch === batch) ?? null) : null;
  const person = annotator ? summary?.annotators.find((p) => p.name === annotator) : undefined;
  const crumbs = [
    { label: 'Projects', href: hrefForLead({ view: 'projects' }) },
    { label: project, href: hrefForLead({ view: 'dashboard', project }) },
    { label: region, href: hrefForLead({ view: 'region', project, region, annotator: null, batch: null }) },
    ...(annotator ? [{ label: annotator }] : []),
  ];
  return (
    <section className="screen screen-wide" aria-labelledby="region-title">
      <header className="screen-header screen-header-actions">
        <div className="screen-header-text">
          <Breadcrumbs items={crumbs} />
          <h1 id="region-title">{annotator ?? region}</h1>
          <p className="screen-lede">
            {annotator
              ? person
                ? `${plural(person.held, 'batch', 'batches')} held, ${formatCount(person.submitted)} submitted, ${plural(person.answers.total, 'answer')} in region ${region}${person.waiting ? `; ${plural(person.waiting, 'answer')} still on their laptop` : ''}.`
                : `No batches of region ${region} name ${annotator}.`
              : `Region ${region} of ${project}: its annotators and every batch.`}
          </p>
        </div>
        <RefreshControl project={project} region={region} />
      </header>
      {entry.error && <ErrorBanner title="Ferry could not read this region’s progress" error={entry.error} testId="progress-error" />}
      {!summary ? (
        <div className="card table-loading" aria-busy="true" />
      ) : (
        <>
          <Summary region={summary} />
          <AnnotatorsTable project={project} where={region} rows={summary.annotators.map((person) => ({ region, person }))} selected={annotator} />
          <div className="drill-layout">
            <section className="card table-card" aria-labelledby="batches-title">
              <div className="card-head card-head-row">
                <div>
                  <h2 id="batches-title">{annotator ? `${annotator}’s batches` : 'Batches'}</h2>
                  <p className="card-sub">{rowsReady ? `${formatCount(shown.length)} of ${formatCount(mine.length)} shown` : 'Reading…'}</p>
                </div>
                <input className="input input-search" type="search" placeholder="Find a batch" aria-label="Find a batch" value={search} onChange={(e) => setSearch(e.target.value)} />
              </div>
              <FilterChips rows={mine} filter={filter} onFilter={setFilter} />
              <BatchList project={project} region={region} annotator={annotator} batches={shown} selected={batch} label={`Batches in ${region}`} />
            </section>
            <BatchDetail project={project} batch={selected} region={summary} />
          </div>
        </>
      )}
    </section>
  );
}
