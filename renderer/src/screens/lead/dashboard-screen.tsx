// A project's regional progress: totals, every region's batches and answers, answers per day, stale claims.
import { useEffect } from 'react';
import type { ProgressDetail } from '../../../../shared/lead.ts';
import { progressOf, refreshProgress, useLead } from '../../state/lead.ts';
import { hrefForLead } from '../../state/route.ts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { AnnotatorsTable } from './annotators-table.tsx';
import { AnswersChart } from './answers-chart.tsx';
import { ChartIcon } from './lead-icons.tsx';
import { formatCount, plural } from './lead-parts.tsx';
import { ProjectFrame } from './project-frame.tsx';
import { RefreshControl } from './refresh-control.tsx';
import { RegionTable } from './region-table.tsx';
import { StaleClaimsCard } from './stale-claims.tsx';

function Tile({ label, value, detail, tone, testId }: { readonly label: string; readonly value: number; readonly detail: string; readonly tone?: 'alert'; readonly testId: string }) {
  return (
    <div className="tile" data-tone={tone} data-testid={testId}>
      <p className="tile-label">{label}</p>
      <p className="tile-value">{formatCount(value)}</p>
      <p className="tile-detail">{detail}</p>
    </div>
  );
}

function Totals({ detail }: { readonly detail: ProgressDetail }) {
  const b = detail.totals.batches;
  const a = detail.totals.answers;
  const people = new Set(detail.regions.flatMap((r) => r.annotators.map((p) => p.name)));
  const waiting = detail.regions.reduce((n, r) => n + r.annotators.reduce((m, p) => m + p.waiting, 0), 0);
  const stale = detail.regions.reduce((n, r) => n + r.staleClaims.length, 0);
  const done = b.submitted + b.in_review + b.accepted;
  return (
    <div className="tiles" aria-label="Totals">
      <Tile testId="tile-batches" label="Batches" value={b.total - b.retired} detail={`${formatCount(b.unclaimed)} unclaimed · ${formatCount(b.claimed)} claimed · ${formatCount(done)} done`} />
      <Tile testId="tile-answers" label="Answers" value={a.total} detail={`${formatCount(a.accept)} accept · ${formatCount(a.reject)} reject · ${formatCount(a.ignore)} ignore`} />
      <Tile testId="tile-annotators" label="Annotators" value={people.size} detail={waiting > 0 ? `${plural(waiting, 'answer')} still on their laptops` : 'Nothing waiting on laptops'} />
      <Tile testId="tile-stale" label="Stale claims" value={stale} tone={stale > 0 ? 'alert' : undefined} detail={stale > 0 ? `Lease passed or silent ${detail.staleAfterHours} h` : 'Every claim is alive'} />
    </div>
  );
}

function NoBatches({ project }: { readonly project: string }) {
  return (
    <div className="card empty-state" data-testid="dashboard-empty">
      <div className="empty-state-icon">
        <ChartIcon />
      </div>
      <h2>No batches yet</h2>
      <p>Progress shows up here once the project has batches for its regions to claim.</p>
      <a className="button button-primary" href={hrefForLead({ view: 'batches', project })}>
        Create batches
      </a>
    </div>
  );
}

export function DashboardScreen({ name }: { readonly name: string }) {
  const entry = useLead((s) => progressOf(s.progress, name));
  useEffect(() => {
    void refreshProgress(name);
  }, [name]);
  const detail = entry.detail;
  return (
    <ProjectFrame name={name} tab="dashboard" actions={<RefreshControl project={name} />}>
      {entry.error && <ErrorBanner title="Ferry could not read this project’s progress" error={entry.error} testId="progress-error" />}
      {!detail ? (
        <div className="card table-loading" aria-busy="true" />
      ) : detail.totals.batches.total === 0 ? (
        <NoBatches project={name} />
      ) : (
        <>
          <Totals detail={detail} />
          <RegionTable project={name} regions={detail.regions} />
          <StaleClaimsCard project={name} regions={detail.regions} />
          <AnswersChart days={detail.answersPerDay} now={new Date(detail.generatedAt)} />
          <AnnotatorsTable project={name} where={null} rows={detail.regions.flatMap((r) => r.annotators.map((person) => ({ region: r.region, person })))} selected={null} />
        </>
      )}
    </ProjectFrame>
  );
}
