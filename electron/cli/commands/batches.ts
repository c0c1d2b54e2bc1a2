// `ferry batches create`: cuts a JSONL pool into batches of one region, queued behind the region's existing ones.
import { FerryError } from '../../../shared/result.ts';
import { createBatches } from '../../batches/create-batches.ts';
import { EXIT_OK, type CliCommand } from '../command.ts';
import { writeJson, writeLine } from '../io.ts';
import { cliCore } from '../run-core.ts';
import { positiveInt } from '../workspace-io.ts';

const USAGE = 'ferry batches create --project P --region R --pool FILE [--size N] [--count K] [--json]';

export const batchesCommand: CliCommand = {
  name: 'batches',
  summary: 'Create batches for a region from a JSONL pool of tasks.',
  usage: USAGE,
  allowPositionals: true,
  options: { project: { type: 'string' }, region: { type: 'string' }, pool: { type: 'string' }, size: { type: 'string' }, count: { type: 'string' } },
  async run(args, io) {
    const [action] = args.positionals;
    if (action !== 'create') throw new FerryError('invalid-request', `Unknown action "${action ?? ''}".\nUsage: ${USAGE}`);
    const v = args.values;
    for (const flag of ['project', 'region', 'pool'] as const) {
      if (typeof v[flag] !== 'string') throw new FerryError('invalid-request', `--${flag} is required.\nUsage: ${USAGE}`);
    }
    const size = positiveInt(v.size, '--size');
    const count = positiveInt(v.count, '--count');
    const core = cliCore(args.configPath);
    try {
      const ws = await core.workspaces.get();
      const result = await createBatches(ws.target, {
        project: v.project as string,
        region: v.region as string,
        poolFile: v.pool as string,
        ...(size ? { size } : {}),
        ...(count ? { count } : {}),
        createdBy: ws.config.annotator,
      });
      if (args.json) writeJson(io.stdout, result);
      else {
        for (const b of result.created) writeLine(io.stdout, `created ${result.project}/${result.region}/${b.batch} (${b.tasks} tasks)`);
        writeLine(io.stdout, `${result.created.length} batch(es) created; ${result.skipped} item(s) already in other batches; ${result.remaining} left in the pool.`);
      }
      return EXIT_OK;
    } finally {
      await core.close();
    }
  },
};
