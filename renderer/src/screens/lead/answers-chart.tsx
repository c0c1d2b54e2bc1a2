// Answers per day, stacked accept / reject / ignore, over the last two weeks (longer when the project is older).
// Colours come from the stylesheet (class names on each series), so both colour schemes and the CSP are respected.
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { DayCount } from '../../../../shared/lead.ts';
import { AnswerKindItems, formatCount } from './lead-parts.tsx';

type Point = { readonly day: string; readonly label: string; readonly accept: number; readonly reject: number; readonly ignore: number; readonly total: number };

const DAY_MS = 86_400_000;
const MIN_DAYS = 14;
const MAX_DAYS = 90;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const dayLabel = new Intl.DateTimeFormat('en', { day: 'numeric', month: 'short', timeZone: 'UTC' });

// Every day from the first with answers (at least two weeks back, at most 90 days) to today, zeros filled in.
export function dailySeries(days: readonly DayCount[], today: Date): Point[] {
  const known = new Map(days.filter((d) => ISO_DAY.test(d.day)).map((d) => [d.day, d]));
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const first = [...known.keys()].sort()[0];
  const span = first ? Math.round((end - Date.parse(`${first}T00:00:00Z`)) / DAY_MS) + 1 : MIN_DAYS;
  const count = Math.min(MAX_DAYS, Math.max(MIN_DAYS, span));
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(end - (count - 1 - i) * DAY_MS);
    const day = at.toISOString().slice(0, 10);
    const c = known.get(day);
    return { day, label: dayLabel.format(at), accept: c?.accept ?? 0, reject: c?.reject ?? 0, ignore: c?.ignore ?? 0, total: c?.total ?? 0 };
  });
}

function ChartTooltip({ active, payload }: Pick<TooltipContentProps, 'active' | 'payload'>) {
  const point = payload?.[0]?.payload as Point | undefined;
  if (!active || !point) return null;
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip-title">{point.label}</p>
      <dl>
        <AnswerKindItems counts={point} />
      </dl>
    </div>
  );
}

const SERIES = [
  { key: 'accept', label: 'Accept' },
  { key: 'reject', label: 'Reject' },
  { key: 'ignore', label: 'Ignore' },
] as const;

export function AnswersChart({ days, now }: { readonly days: readonly DayCount[]; readonly now: Date }) {
  const series = dailySeries(days, now);
  const today = series[series.length - 1]!;
  const total = series.reduce((n, p) => n + p.total, 0);
  const undated = days.filter((d) => !ISO_DAY.test(d.day)).reduce((n, d) => n + d.total, 0);
  return (
    <section className="card chart-card" aria-labelledby="chart-title" data-testid="answers-chart" data-today={today.total}>
      <div className="chart-head">
        <div>
          <h2 id="chart-title">Answers per day</h2>
          <p className="card-sub">
            Counted when a batch is submitted · last {series.length} days · {formatCount(total)} answers
          </p>
        </div>
        <div className="chart-today">
          <span className="chart-today-value" data-testid="answers-today">
            {formatCount(today.total)}
          </span>
          <span className="chart-today-label">today</span>
        </div>
      </div>
      <ul className="chart-legend" aria-hidden="true">
        {SERIES.map((s) => (
          <li key={s.key} data-series={s.key}>
            <span className="chart-swatch" />
            {s.label}
          </li>
        ))}
      </ul>
      <div className="chart-frame" aria-hidden="true">
        <ResponsiveContainer width="100%" height={220} initialDimension={{ width: 800, height: 220 }}>
          <BarChart data={series} margin={{ top: 8, right: 8, bottom: 0, left: -12 }} barCategoryGap="22%">
            <CartesianGrid vertical={false} className="chart-grid" />
            <XAxis dataKey="label" tickLine={false} axisLine={false} interval="preserveStartEnd" minTickGap={24} className="chart-axis" />
            <YAxis allowDecimals={false} tickLine={false} axisLine={false} width={44} className="chart-axis" />
            <Tooltip content={(props) => <ChartTooltip active={props.active} payload={props.payload} />} cursor={{ className: 'chart-cursor' }} isAnimationActive={false} />
            {SERIES.map((s, i) => (
              <Bar key={s.key} dataKey={s.key} name={s.label} stackId="answers" className={`chart-bar chart-bar-${s.key}`} isAnimationActive={false} radius={i === SERIES.length - 1 ? [3, 3, 0, 0] : 0} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="visually-hidden" aria-label="Answers per day">
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Accept</th>
            <th scope="col">Reject</th>
            <th scope="col">Ignore</th>
          </tr>
        </thead>
        <tbody>
          {series
            .filter((p) => p.total > 0)
            .map((p) => (
              <tr key={p.day} data-day={p.day}>
                <th scope="row">{p.day}</th>
                <td>{p.accept}</td>
                <td>{p.reject}</td>
                <td>{p.ignore}</td>
              </tr>
            ))}
        </tbody>
      </table>
      {undated > 0 && <p className="card-sub">{formatCount(undated)} answers have no readable submission date and are not in the chart.</p>}
    </section>
  );
}
