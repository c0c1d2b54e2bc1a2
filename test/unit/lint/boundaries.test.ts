// The layer rule is a lint rule: prove it fires on each forbidden import and stays quiet on allowed ones.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('layer boundaries', () => {
  it('refuses node:fs in the renderer', async () => {
    expect(await ruleIds("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'renderer/src/leak.ts')).toContain('no-restricted-imports');
  });

  it.each(['electron', '@aws-sdk/client-s3', 'better-sqlite3', 'child_process'])('refuses %s in the renderer', async (mod) => {
    expect(await ruleIds(`import * as m from '${mod}';\nexport const x = m;\n`, 'renderer/src/leak.ts')).toContain('no-restricted-imports');
  });

  it('refuses node and DOM globals in shared/', async () => {
    expect(await ruleIds("import path from 'node:path';\nexport const x = path;\n", 'shared/leak.ts')).toContain('no-restricted-imports');
    expect(await ruleIds('export const w = window.location;\n', 'shared/leak.ts')).toContain('no-restricted-globals');
  });

  it('refuses electron in the core but allows it in the shell', async () => {
    const code = "import { app } from 'electron';\nexport const a = app;\n";
    expect(await ruleIds(code, 'electron/s3/leak.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(code, 'electron/main.ts')).not.toContain('no-restricted-imports');
    expect(await ruleIds(code, 'electron/shell/leak.ts')).not.toContain('no-restricted-imports');
  });

  it('allows zod in shared and react in the renderer', async () => {
    expect(await ruleIds("import { z } from 'zod';\nexport const s = z.string();\n", 'shared/ok.ts')).toEqual([]);
    expect(await ruleIds("import { useState } from 'react';\nexport const u = useState;\n", 'renderer/src/ok.ts')).toEqual([]);
  });
});
