// `ferry submit BATCH`: publishes the batch's answers and its submission marker, or queues them when offline (exit 0 both).
import { EXIT_OK, type CliCommand } from '../command.ts';
import { writeJson, writeLine } from '../io.ts';
import { cliCore } from '../run-core.ts';
import { resolveBatchId } from '../workspace-io.ts';

const USAGE = 'ferry submit BATCH [--json] [--config FILE]';

export const submitCommand: CliCommand = {
  name: 'submit',
  summary: 'Submit a batch: its answers go to S3 now, or as soon as S3 can be reached.',
  usage: USAGE,
  allowPositionals: true,
  async run(args, io) {
    const core = cliCore(args.configPath);
    try {
      const id = await resolveBatchId(core, args.positionals[0], USAGE);
      const result = await core.annotator.submit(id);
      if (args.json) writeJson(io.stdout, { id, state: result.state, message: result.message, answered: result.batch.answered, total: result.batch.total, chunks: result.chunks });
      else writeLine(io.stdout, result.message);
      return EXIT_OK;
    } finally {
      await core.close();
    }
  },
};
