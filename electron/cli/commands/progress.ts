// `ferry progress --project P [--json]`: each region's batches, answers, annotators and stale claims, from S3 listings
// and the lead's local index (a warm refresh lists, and reads only what changed).
import type { ProgressDetail } from '../../../shared/lead.ts';
import { FerryError } from '../../../shared/result.ts';
import { summaryOf } from '../../lead/progress.ts';
import { EXIT_OK, type CliCommand } from '../command.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';
import { cliCore, invoke } from '../run-core.ts';
import { positiveHours } from '../workspace-io.ts';

const USAGE = 'ferry progress --project P [--region R] [--stale-after-hours H] [--batches] [--json]';

function printHuman(io: CliIo, p: ProgressDetail, withBatches: boolean): void {
  writeLine(io.stdout, `${p.project} — ${p.totals.batches.total} batches, ${p.totals.answers.total} answers (accept ${p.totals.answers.accept}, reject ${p.totals.answers.reject}, ignore ${p.totals.answers.ignore})`);
  for (const r of p.regions) {
    const b = r.batches;
    writeLine(io.stdout, `\n${r.region}: ${b.unclaimed} unclaimed · ${b.claimed} claimed · ${b.submitted} submitted · ${b.in_review} in review · ${b.accepted} accepted · ${b.rework} rework${b.retired ? ` · ${b.retired} retired` : ''}`);
    writeLine(io.stdout, `  answers: ${r.answers.accept} accept, ${r.answers.reject} reject, ${r.answers.ignore} ignore`);
    for (const a of r.annotators) writeLine(io.stdout, `  ${a.name}: last seen ${a.lastSeen ?? 'never'}${a.lastSeenSource !== 'heartbeat' && a.lastSeen ? ` (${a.lastSeenSource})` : ''}, ${a.waiting} waiting, holds ${a.held}, submitted ${a.submitted}`);
    for (const s of r.staleClaims) writeLine(io.stdout, `  STALE ${s.batch} held by ${s.annotator} (${s.reasons.join(', ')}; lease until ${s.leaseUntil}) — ferry claims release --project ${p.project} --region ${r.region} --batch ${s.batch}`);
  }
  if (withBatches) for (const b of p.batches) writeLine(io.stdout, `${b.region}/${b.batch} ${b.status}${b.holder ? ` ${b.holder}` : ''}${b.answers.total ? ` ${b.answers.total} answers` : ''}${b.stale ? ' STALE' : ''}`);
  const q = p.refresh.requests;
  writeLine(io.stdout, `\n(${p.refresh.cold ? 'cold' : 'warm'} refresh in ${p.refresh.ms} ms: ${q.list} list, ${q.get} get, ${q.other} other requests; ${p.refresh.changed} changed)`);
}

export const progressCommand: CliCommand = {
  name: 'progress',
  summary: 'Show a project\'s progress per region: batches, answers, annotators, stale claims.',
  usage: USAGE,
  options: { project: { type: 'string' }, region: { type: 'string' }, 'stale-after-hours': { type: 'string' }, batches: { type: 'boolean' } },
  async run(args, io) {
    const v = args.values;
    if (typeof v.project !== 'string') throw new FerryError('invalid-request', `--project is required.\nUsage: ${USAGE}`);
    const hours = positiveHours(v['stale-after-hours'], '--stale-after-hours');
    const core = cliCore(args.configPath);
    try {
      const detail = await invoke(core, 'lead.progress', { project: v.project, ...(typeof v.region === 'string' ? { region: v.region } : {}), ...(hours !== undefined ? { staleAfterHours: hours } : {}) });
      if (args.json) writeJson(io.stdout, v.batches === true ? detail : summaryOf(detail));
      else printHuman(io, detail, v.batches === true);
      return EXIT_OK;
    } finally {
      await core.close();
    }
  },
};
