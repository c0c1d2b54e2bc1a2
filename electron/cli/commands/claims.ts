// `ferry claims release|reassign`: frees or hands over a stale claim by compare-and-swap, leaving a release record.
import { FerryError } from '../../../shared/result.ts';
import { EXIT_OK, type CliCommand } from '../command.ts';
import { writeJson, writeLine } from '../io.ts';
import { cliCore, invoke } from '../run-core.ts';
import { positiveHours } from '../workspace-io.ts';

const USAGE =
  'ferry claims release --project P --region R --batch B [--reason TEXT] [--force] [--stale-after-hours H] [--json]\n' +
  '       ferry claims reassign --project P --region R --batch B --to ANNOTATOR [--reason TEXT] [--force] [--stale-after-hours H] [--json]';

export const claimsCommand: CliCommand = {
  name: 'claims',
  summary: 'Release or reassign a stale claim (compare-and-swap: a claim renewed meanwhile is left alone).',
  usage: USAGE,
  allowPositionals: true,
  options: { project: { type: 'string' }, region: { type: 'string' }, batch: { type: 'string' }, to: { type: 'string' }, reason: { type: 'string' }, force: { type: 'boolean' }, 'stale-after-hours': { type: 'string' } },
  async run(args, io) {
    const [action] = args.positionals;
    if (action !== 'release' && action !== 'reassign') throw new FerryError('invalid-request', `Unknown action "${action ?? ''}".\nUsage: ${USAGE}`);
    const v = args.values;
    for (const flag of ['project', 'region', 'batch', ...(action === 'reassign' ? ['to'] : [])]) {
      if (typeof v[flag] !== 'string') throw new FerryError('invalid-request', `--${flag} is required.\nUsage: ${USAGE}`);
    }
    const hours = positiveHours(v['stale-after-hours'], '--stale-after-hours');
    const request = {
      project: v.project as string,
      region: v.region as string,
      batch: v.batch as string,
      ...(typeof v.reason === 'string' ? { reason: v.reason } : {}),
      ...(v.force === true ? { force: true } : {}),
      ...(hours !== undefined ? { staleAfterHours: hours } : {}),
    };
    const core = cliCore(args.configPath);
    try {
      const change = action === 'release' ? await invoke(core, 'lead.claims.release', request) : await invoke(core, 'lead.claims.reassign', { ...request, to: v.to as string });
      if (args.json) writeJson(io.stdout, change);
      else {
        const why = change.forced ? 'forced: the claim was not stale' : `stale: ${change.staleReasons.join(', ')}`;
        writeLine(io.stdout, change.action === 'release' ? `Released ${change.batch} from ${change.formerHolder} (${why}); annotators of ${change.region} can claim it again.` : `Reassigned ${change.batch} from ${change.formerHolder} to ${change.to} (${why}).`);
        writeLine(io.stdout, `Release record: ${change.recordKey} — ${change.formerHolder}'s later results for it are kept and marked late.`);
      }
      return EXIT_OK;
    } finally {
      await core.close();
    }
  },
};
