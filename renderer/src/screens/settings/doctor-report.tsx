// The connection test as a checklist, with the conditional-writes warning impossible to miss.
import type { DoctorCheck, DoctorReport } from '../../../../shared/api.ts';
import { CheckIcon, CrossIcon, SkipIcon, WarningIcon } from '../../shell/icons.tsx';

export type CheckOutcome = 'passed' | 'failed' | 'warning' | 'skipped';

export function checkOutcome(check: DoctorCheck): CheckOutcome {
  if (check.skipped) return 'skipped';
  if (check.warning) return 'warning';
  return check.ok ? 'passed' : 'failed';
}

const OUTCOME_TEXT: Record<CheckOutcome, string> = { passed: 'Passed', failed: 'Failed', warning: 'Warning', skipped: 'Skipped' };
const OUTCOME_ICON = { passed: CheckIcon, failed: CrossIcon, warning: WarningIcon, skipped: SkipIcon } as const;

function summary(report: DoctorReport): string {
  const outcomes = report.checks.map(checkOutcome);
  const failed = outcomes.filter((o) => o === 'failed').length;
  const warnings = outcomes.filter((o) => o === 'warning').length;
  if (failed > 0) return `${failed} of ${outcomes.length} checks failed`;
  if (warnings > 0) return `Connected, with ${warnings} warning${warnings > 1 ? 's' : ''}`;
  return 'All checks passed';
}

// The check's own message is in the list below; the banner says why it matters.
function ConditionalWritesBanner() {
  return (
    <div className="banner banner-warning" role="alert" data-testid="conditional-writes-banner">
      <WarningIcon className="banner-icon" />
      <div>
        <p className="banner-title">Batch claims are not safe on this store</p>
        <p>
          It ignores conditional writes. Ferry relies on them so that each batch has exactly one holder and nothing in the bucket is overwritten; without them two people can
          end up annotating the same batch. Use Amazon S3, or ask whoever runs the store to support If-None-Match and If-Match on PUT.
        </p>
      </div>
    </div>
  );
}

export function DoctorReportView({ report }: { readonly report: DoctorReport }) {
  const conditional = report.checks.find((c) => c.id === 'conditional-writes' && !c.skipped && (c.warning || !c.ok));
  const overall = report.checks.some((c) => checkOutcome(c) === 'failed') ? 'failed' : conditional || report.checks.some((c) => c.warning) ? 'warning' : 'passed';
  return (
    <section className="card doctor-report" aria-labelledby="doctor-title" data-outcome={overall}>
      <header className="doctor-head">
        <h2 id="doctor-title">Connection test</h2>
        <p className="doctor-summary" data-outcome={overall}>
          {summary(report)}
        </p>
        <p className="doctor-endpoint">{report.endpoint}</p>
      </header>
      {conditional && <ConditionalWritesBanner />}
      <ul className="checklist">
        {report.checks.map((check) => {
          const outcome = checkOutcome(check);
          const Icon = OUTCOME_ICON[outcome];
          return (
            <li key={check.id} className="check" data-check={check.id} data-outcome={outcome}>
              <span className="check-icon">
                <Icon />
              </span>
              <div className="check-body">
                <p className="check-label">
                  {check.label}
                  <span className="visually-hidden">: {OUTCOME_TEXT[outcome]}</span>
                </p>
                <p className="check-message">{check.message}</p>
              </div>
              {/* A pass needs no word beside its tick; anything else is spelled out. */}
              <span className="check-outcome" aria-hidden="true">
                {outcome === 'passed' ? '' : OUTCOME_TEXT[outcome]}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
