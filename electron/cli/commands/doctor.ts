// `ferry doctor`: the Settings screen's "Test connection", item by item, for a terminal or a script.
import type { DoctorCheck } from '../../../shared/api.ts';
import { EXIT_FAILED, EXIT_OK, type CliCommand } from '../command.ts';
import { writeJson, writeLine } from '../io.ts';
import { cliCore, invoke } from '../run-core.ts';

function mark(check: DoctorCheck): string {
  if (check.skipped) return '-';
  if (check.ok) return '✓';
  return check.warning ? '!' : '✗';
}

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'Check the workspace: credentials, bucket, list, read, write and conditional writes.',
  usage: 'ferry doctor [--config FILE] [--json]',
  async run(args, io) {
    const report = await invoke(cliCore(args.configPath), 'doctor.run', {});
    if (args.json) {
      writeJson(io.stdout, report);
    } else {
      writeLine(io.stdout, `Checking ${report.endpoint}`);
      for (const check of report.checks) writeLine(io.stdout, `  ${mark(check)} ${check.label}: ${check.message}`);
      writeLine(io.stdout, report.ok ? 'All checks passed.' : 'Some checks failed: see above.');
    }
    return report.ok ? EXIT_OK : EXIT_FAILED;
  },
};
