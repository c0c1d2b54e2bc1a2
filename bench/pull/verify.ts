// Proves a tool really copied the data: exactly the expected files, each with the right size and SHA-256.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export type ExpectedFile = { readonly sha256: string; readonly bytes: number };

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
}

// Returns what is wrong (empty when the folder holds exactly `expected`).
export async function verifyTree(dir: string, expected: ReadonlyMap<string, ExpectedFile>): Promise<string[]> {
  let found: string[];
  try {
    found = await filesUnder(dir);
  } catch (error) {
    return [`${dir} cannot be read: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  const extra = found.filter((name) => !expected.has(name));
  const missing = [...expected.keys()].filter((name) => !found.includes(name));
  if (found.length !== expected.size) problems.push(`${found.length} files in ${dir}, expected ${expected.size}`);
  if (missing.length) problems.push(`${missing.length} missing (first: ${missing[0]})`);
  if (extra.length) problems.push(`${extra.length} unexpected (first: ${extra[0]})`);
  for (const name of found.filter((n) => expected.has(n))) {
    const want = expected.get(name)!;
    const path = join(dir, ...name.split('/'));
    const size = (await stat(path)).size;
    if (size !== want.bytes) {
      problems.push(`${name} has ${size} bytes, expected ${want.bytes}`);
      continue;
    }
    const sha256 = createHash('sha256').update(await readFile(path)).digest('hex');
    if (sha256 !== want.sha256) problems.push(`${name} has SHA-256 ${sha256.slice(0, 12)}…, expected ${want.sha256.slice(0, 12)}…`);
  }
  return problems;
}
