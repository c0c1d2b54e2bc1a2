// `ferry batches create|refill|rerank`: the lead's batch queue — cut from the pool by a rule, kept stocked, re-ranked.
import type { CreateBatchesView, RefillView, RerankView } from '../../../shared/lead.ts';
import { FerryError } from '../../../shared/result.ts';
import { isStrategy, STRATEGIES } from '../../batches/strategies.ts';
import { EXIT_OK, type CliCommand, type ParsedArgs } from '../command.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';
import { cliCore, invoke } from '../run-core.ts';
import { csv, positiveInt } from '../workspace-io.ts';

const RULE_FLAGS = '[--strategy sequential|random|uncertainty|margin|entropy|stratified] [--scores FILE] [--skip-bad-scores] [--by META_FIELD] [--seed X] [--pool FILE|s3://…] [--rescan]';
const USAGE =
  `ferry batches create --project P --region R [--size N] [--count K] ${RULE_FLAGS} [--json]\n` +
  `       ferry batches refill --project P --per-region K [--regions emea,apac] [--size N] ${RULE_FLAGS} [--json]\n` +
  '       ferry batches rerank --project P --scores NEW_FILE [--strategy uncertainty|margin|entropy] [--regions …] [--size N] [--pool …] [--json]';


function text(v: ParsedArgs['values'], flag: string): string | undefined {
  const value = v[flag];
  return typeof value === 'string' ? value : undefined;
}

function required(v: ParsedArgs['values'], flag: string): string {
  const value = text(v, flag);
  if (value === undefined) throw new FerryError('invalid-request', `--${flag} is required.\nUsage: ${USAGE}`);
  return value;
}

function ruleOptions(v: ParsedArgs['values']) {
  const size = positiveInt(v.size, '--size');
  const strategy = text(v, 'strategy');
  if (strategy !== undefined && !isStrategy(strategy)) throw new FerryError('invalid-request', `Unknown strategy "${strategy}". Choose one of: ${STRATEGIES.join(', ')}.`);
  const options = {
    ...(size ? { size } : {}),
    ...(strategy !== undefined && isStrategy(strategy) ? { strategy } : {}),
    ...(text(v, 'by') ? { by: text(v, 'by')! } : {}),
    ...(text(v, 'scores') ? { scoresFile: text(v, 'scores')! } : {}),
    ...(text(v, 'seed') ? { seed: text(v, 'seed')! } : {}),
    ...(text(v, 'pool') ? { poolFile: text(v, 'pool')! } : {}),
    ...(v['skip-bad-scores'] === true ? { skipBadScores: true } : {}),
    ...(v.rescan === true ? { rescan: true } : {}),
  };
  return options;
}

function printNotes(io: CliIo, notes: readonly string[]): void {
  for (const note of notes) writeLine(io.stderr, `note: ${note}`);
}

function printCreate(io: CliIo, r: CreateBatchesView): void {
  for (const b of r.created) writeLine(io.stdout, `created ${r.project}/${b.region}/${b.batch} (${b.tasks} tasks)`);
  writeLine(io.stdout, `${r.created.length} batch(es) created by ${r.strategy}; ${r.skipped} item(s) already in other batches; ${r.remaining} left in the pool.`);
  if (r.lostRaces) writeLine(io.stdout, `Another lead created batches at the same time; Ferry planned again ${r.lostRaces} time(s).`);
  printNotes(io, r.notes);
}

function printRefill(io: CliIo, r: RefillView): void {
  for (const s of r.regions) writeLine(io.stdout, `${s.region}: ${s.unclaimedBefore} unclaimed, ${s.created} created${s.short ? `, ${s.short} short` : ''}`);
  writeLine(io.stdout, `${r.created.length} batch(es) created to keep ${r.perRegion} unclaimed per region.`);
  printNotes(io, r.notes);
}

function printRerank(io: CliIo, r: RerankView): void {
  writeLine(io.stdout, `${r.retired.length} unclaimed batch(es) retired, ${r.created.length} created by ${r.strategy} on the new scores.`);
  for (const k of r.kept) writeLine(io.stdout, `kept ${k.region}/${k.batch}: claimed by an annotator while the rerank ran`);
  printNotes(io, r.notes);
}

export const batchesCommand: CliCommand = {
  name: 'batches',
  summary: 'Create, refill or rerank a project\'s batches from its pool (sequential, random, uncertainty, margin, entropy, stratified).',
  usage: USAGE,
  allowPositionals: true,
  options: {
    project: { type: 'string' },
    region: { type: 'string' },
    regions: { type: 'string' },
    pool: { type: 'string' },
    size: { type: 'string' },
    count: { type: 'string' },
    'per-region': { type: 'string' },
    strategy: { type: 'string' },
    scores: { type: 'string' },
    'skip-bad-scores': { type: 'boolean' },
    by: { type: 'string' },
    seed: { type: 'string' },
    rescan: { type: 'boolean' },
  },
  async run(args, io) {
    const [action] = args.positionals;
    if (action !== 'create' && action !== 'refill' && action !== 'rerank') throw new FerryError('invalid-request', `Unknown action "${action ?? ''}".\nUsage: ${USAGE}`);
    const v = args.values;
    const project = required(v, 'project');
    const rules = ruleOptions(v);
    const regions = text(v, 'regions') ? { regions: csv(v.regions, '--regions') } : {};
    const core = cliCore(args.configPath);
    try {
      if (action === 'create') {
        const count = positiveInt(v.count, '--count');
        const result = await invoke(core, 'lead.batches.create', { project, region: required(v, 'region'), ...(count ? { count } : {}), ...rules });
        if (args.json) writeJson(io.stdout, result);
        else printCreate(io, result);
      } else if (action === 'refill') {
        const perRegion = positiveInt(v['per-region'], '--per-region');
        if (perRegion === undefined) throw new FerryError('invalid-request', `--per-region is required: how many unclaimed batches each region should have.\nUsage: ${USAGE}`);
        const result = await invoke(core, 'lead.batches.refill', { project, perRegion, ...regions, ...rules });
        if (args.json) writeJson(io.stdout, result);
        else printRefill(io, result);
      } else {
        const result = await invoke(core, 'lead.batches.rerank', { project, ...regions, ...rules, scoresFile: required(v, 'scores') });
        if (args.json) writeJson(io.stdout, result);
        else printRerank(io, result);
      }
      return EXIT_OK;
    } finally {
      await core.close();
    }
  },
};
