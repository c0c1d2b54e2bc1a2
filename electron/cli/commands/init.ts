// `ferry init`: writes a workspace file from flags, validated by the same schema as the Settings screen.
import { WorkspaceConfigSchema, describeConfigIssues } from '../../../shared/config.ts';
import { FerryError } from '../../../shared/result.ts';
import { saveWorkspaceFile } from '../../config/workspace-file.ts';
import { existsSync } from 'node:fs';
import { EXIT_OK, type CliCommand } from '../command.ts';
import { writeJson, writeLine } from '../io.ts';

function splitArgv(text: string): string[] {
  return text.split(/\s+/).filter((part) => part.length > 0);
}

export const initCommand: CliCommand = {
  name: 'init',
  summary: 'Create or replace the workspace file (bucket, prefix, region, annotator, …).',
  usage:
    'ferry init --bucket B --annotator NAME --region R --data-dir DIR [--prefix P/] [--aws-region us-east-1] ' +
    '[--endpoint URL] [--force-path-style] [--profile NAME] [--prodigy-command "prodigy"] [--force] [--config FILE]',
  options: {
    bucket: { type: 'string' },
    prefix: { type: 'string' },
    'aws-region': { type: 'string' },
    endpoint: { type: 'string' },
    'force-path-style': { type: 'boolean' },
    profile: { type: 'string' },
    annotator: { type: 'string' },
    region: { type: 'string' },
    'data-dir': { type: 'string' },
    'prodigy-command': { type: 'string' },
    force: { type: 'boolean' },
  },
  async run(args, io) {
    const v = args.values;
    if (existsSync(args.configPath) && v.force !== true) {
      throw new FerryError('conflict', `A workspace file already exists at ${args.configPath}. Pass --force to replace it.`);
    }
    const candidate = {
      bucket: v.bucket,
      prefix: v.prefix,
      awsRegion: v['aws-region'],
      endpoint: v.endpoint,
      forcePathStyle: v['force-path-style'] === true,
      profile: v.profile,
      annotator: v.annotator,
      region: v.region,
      dataDir: v['data-dir'],
      prodigyCommand: typeof v['prodigy-command'] === 'string' ? splitArgv(v['prodigy-command']) : undefined,
    };
    const parsed = WorkspaceConfigSchema.safeParse(Object.fromEntries(Object.entries(candidate).filter(([, x]) => x !== undefined)));
    if (!parsed.success) {
      throw new FerryError('config-invalid', `The workspace is not valid:\n  ${describeConfigIssues(parsed.error).join('\n  ')}`);
    }
    const view = await saveWorkspaceFile(args.configPath, parsed.data);
    if (args.json) writeJson(io.stdout, view);
    else writeLine(io.stdout, `Wrote ${view.path}. Check it with \`ferry doctor --config ${view.path}\`.`);
    return EXIT_OK;
  },
};
