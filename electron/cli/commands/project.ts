// `ferry project create|show|list`: the lead's definition of what a project's batches are annotated with.
import { FerryError } from '../../../shared/result.ts';
import { createProject, listProjectNames, readProject } from '../../projects/projects.ts';
import { EXIT_OK, type CliCommand } from '../command.ts';
import { writeJson, writeLine } from '../io.ts';
import { cliCore } from '../run-core.ts';
import { csv, positiveInt } from '../workspace-io.ts';

const USAGE =
  'ferry project create NAME --recipe RECIPE --labels A,B --regions emea,apac [--dataset NAME] [--model blank:en] [--batch-size N] [--lease-days N]\n' +
  '       ferry project show NAME [--json]\n' +
  '       ferry project list [--json]';

export const projectCommand: CliCommand = {
  name: 'project',
  summary: 'Create, show or list projects (recipe, labels, regions) in the team bucket.',
  usage: USAGE,
  allowPositionals: true,
  options: {
    recipe: { type: 'string' },
    labels: { type: 'string' },
    regions: { type: 'string' },
    dataset: { type: 'string' },
    model: { type: 'string' },
    'batch-size': { type: 'string' },
    'lease-days': { type: 'string' },
  },
  async run(args, io) {
    const [action, name] = args.positionals;
    const core = cliCore(args.configPath);
    try {
      const ws = await core.workspaces.get();
      if (action === 'list') {
        const names = await listProjectNames(ws.target);
        if (args.json) writeJson(io.stdout, { projects: names });
        else writeLine(io.stdout, names.length ? names.join('\n') : 'No projects yet. Create one with `ferry project create`.');
        return EXIT_OK;
      }
      if (!name) throw new FerryError('invalid-request', `Name the project.\nUsage: ${USAGE}`);
      if (action === 'show') {
        const project = await readProject(ws.target, name);
        if (args.json) writeJson(io.stdout, project);
        else writeLine(io.stdout, `${project.name}: ${project.recipe} with labels ${project.labels.join(', ')} for regions ${project.regions.join(', ')} (dataset ${project.dataset})`);
        return EXIT_OK;
      }
      if (action !== 'create') throw new FerryError('invalid-request', `Unknown action "${action ?? ''}".\nUsage: ${USAGE}`);
      const v = args.values;
      if (typeof v.recipe !== 'string') throw new FerryError('invalid-request', `--recipe is required, e.g. --recipe textcat.manual.\nUsage: ${USAGE}`);
      const batchSize = positiveInt(v['batch-size'], '--batch-size');
      const leaseDays = positiveInt(v['lease-days'], '--lease-days');
      const project = await createProject(ws.target, {
        name,
        recipe: v.recipe,
        labels: csv(v.labels, '--labels'),
        regions: csv(v.regions, '--regions'),
        ...(typeof v.dataset === 'string' ? { dataset: v.dataset } : {}),
        ...(typeof v.model === 'string' ? { model: v.model } : {}),
        ...(batchSize ? { batchSize } : {}),
        ...(leaseDays ? { leaseDays } : {}),
        createdBy: ws.config.annotator,
      });
      if (args.json) writeJson(io.stdout, project);
      else writeLine(io.stdout, `Created project ${project.name} (${project.recipe}; labels ${project.labels.join(', ')}; regions ${project.regions.join(', ')}).`);
      return EXIT_OK;
    } finally {
      await core.close();
    }
  },
};
