// Which command starts Prodigy here: the workspace's prodigyCommand, else `prodigy` on PATH, else `python3 -m prodigy`.
import { constants } from 'node:fs';
import { access, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { FerryError } from '../../shared/result.ts';
import { describeCommand } from './prodigy-errors.ts';
import { runProdigyCommand } from './run-prodigy.ts';

const PROBE_TIMEOUT_MS = 20_000;

function pathOf(env: NodeJS.ProcessEnv): string {
  return env.PATH ?? env.Path ?? '';
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    await access(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// The file a command name would run: a path is checked as given, a bare name is searched on PATH (with PATHEXT on Windows).
export async function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const extensions = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';')] : [''];
  if (/[\\/]/.test(name)) {
    for (const ext of extensions) if (await isExecutableFile(name + ext)) return name + ext;
    return undefined;
  }
  for (const dir of pathOf(env).split(delimiter)) {
    if (dir.length === 0) continue;
    for (const ext of extensions) {
      const candidate = join(dir, name + ext);
      if (await isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

// Runs `python -c "import prodigy"` in a throwaway PRODIGY_HOME; undefined when it imports, else why not.
async function pythonImportProblem(python: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const home = await mkdtemp(join(tmpdir(), 'ferry-probe-'));
  try {
    await runProdigyCommand([python], ['-c', 'import prodigy'], { home, env, timeoutMs: PROBE_TIMEOUT_MS, operation: 'probe' });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

export async function resolveProdigyCommand(configured?: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  if (configured !== undefined && configured.length > 0) {
    const [file] = configured;
    if (file !== undefined && (await findExecutable(file, env))) return [...configured];
    throw new FerryError(
      'prodigy-not-found',
      `The Prodigy command from Settings (prodigyCommand: ${describeCommand(configured)}) can't run: "${file}" is not ${/[\\/]/.test(file ?? '') ? 'an executable file' : 'on PATH'}. Fix prodigyCommand in Settings (for example ["python3", "-m", "prodigy"]), or install Prodigy.`,
      `PATH=${pathOf(env)}`,
    );
  }
  if (await findExecutable('prodigy', env)) return ['prodigy'];
  const pythons = process.platform === 'win32' ? ['python3', 'python'] : ['python3'];
  const problems: string[] = [];
  for (const python of pythons) {
    if (!(await findExecutable(python, env))) {
      problems.push(`${python} is not on PATH`);
      continue;
    }
    const problem = await pythonImportProblem(python, env);
    if (problem === undefined) return [python, '-m', 'prodigy'];
    problems.push(`${python} can't import prodigy (${problem})`);
  }
  throw new FerryError(
    'prodigy-not-found',
    `Ferry could not find Prodigy: there is no "prodigy" command on PATH, and "${pythons[0]} -m prodigy" does not work (${problems.join('; ')}). Install Prodigy into the Python on PATH, or set prodigyCommand in Settings to the command that starts it.`,
    `PATH=${pathOf(env)}`,
  );
}
