// `ferry demo` (npm run demo): the whole flow on this machine, with a local S3 endpoint and sample batches.
import { runDemo } from '../../demo/run-demo.ts';
import { EXIT_OK, type CliCommand } from '../command.ts';
import { untilStopSignal, writeLine } from '../io.ts';
import { ensureRendererBuilt, parsePort } from './web.ts';

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'Run Ferry against a local S3 endpoint with a seeded sample project (no AWS account or Prodigy licence).',
  usage: 'ferry demo [--port N]',
  options: { port: { type: 'string', short: 'p' } },
  async run(args, io) {
    const port = parsePort(args.values.port);
    const distDir = await ensureRendererBuilt(io);
    const demo = await runDemo({ port, distDir, log: (line) => writeLine(io.stdout, line) });
    if (!demo.url) return EXIT_OK;
    writeLine(io.stdout, '');
    writeLine(io.stdout, `Ferry is running at ${demo.url}`);
    writeLine(io.stdout, 'Open it in your browser and click "Get my batch". Press Ctrl-C to stop the demo.');
    await untilStopSignal();
    await demo.stop();
    return EXIT_OK;
  },
};
