// `ferry annotate BATCH`: runs Prodigy on a pulled batch in the foreground; Ctrl-C or Prodigy's exit harvests and stops.
import { EXIT_FAILED, EXIT_OK, type CliCommand } from '../command.ts';
import { writeLine } from '../io.ts';
import { cliCore } from '../run-core.ts';
import { resolveBatchId } from '../workspace-io.ts';

const USAGE = 'ferry annotate BATCH [--config FILE]';

export const annotateCommand: CliCommand = {
  name: 'annotate',
  summary: 'Open a batch in Prodigy; answers are saved to Ferry while you work. Ctrl-C stops.',
  usage: USAGE,
  allowPositionals: true,
  async run(args, io) {
    const core = cliCore(args.configPath, { autoSync: true }); // publishes while you annotate
    let exitCode = EXIT_OK;
    try {
      const id = await resolveBatchId(core, args.positionals[0], USAGE);
      const opened = await core.annotator.open(id);
      if (opened.prodigy === 'stand-in') writeLine(io.stdout, 'Using the Prodigy stand-in (test/prodigy-standin), not Prodigy itself.');
      writeLine(io.stdout, `Prodigy is ready: ${opened.url}`);
      writeLine(io.stdout, `Your browser will ask for a login: user ${opened.login.username}, password ${opened.login.password}`);
      writeLine(io.stdout, 'Annotate in your browser; Ferry keeps your answers. Press Ctrl-C when you are done.');
      await new Promise<void>((resolve) => {
        const finish = () => {
          process.off('SIGINT', finish);
          process.off('SIGTERM', finish);
          off();
          resolve();
        };
        const off = core.on('prodigy', (e) => {
          if (e.batch !== id || (e.state !== 'stopped' && e.state !== 'failed')) return;
          if (e.state === 'failed') {
            exitCode = EXIT_FAILED;
            writeLine(io.stderr, `Prodigy stopped unexpectedly. Its last lines:\n${(e.lastLines ?? []).join('\n')}`);
          }
          finish();
        });
        process.once('SIGINT', finish);
        process.once('SIGTERM', finish);
      });
      await core.annotator.stop(id);
      const view = await core.annotator.get(id);
      writeLine(io.stdout, `Saved ${view.answered} of ${view.total} answers for ${view.batch}. Submit with: ferry submit ${view.batch}`);
      return exitCode;
    } finally {
      await core.close();
    }
  },
};
