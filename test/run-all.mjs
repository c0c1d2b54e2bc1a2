// `npm test`: unit + integration (vitest) then e2e (Playwright), closing with one plain line CI can read.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const out = resolve('test-results'); // absolute: Playwright resolves report paths against its config folder
mkdirSync(out, { recursive: true });
const vitestJson = `${out}/vitest.json`;
const playwrightJson = `${out}/playwright.json`;
rmSync(vitestJson, { force: true });
rmSync(playwrightJson, { force: true });

const only = process.argv[2]; // "unit" or "e2e" to run one half
function run(cmd, args, env = {}) {
  // The pinned AWS SDK supports Node 20; its notice about future releases is noise in test logs.
  const res = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env } });
  return res.status ?? 1;
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];
const problemsNoted = []; // worth a line, not a failure

if (only !== 'e2e') {
  const code = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
  if (existsSync(vitestJson)) {
    const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    if (code !== 0 && r.numFailedTests === 0) problems.push(`vitest exited with ${code} (a suite failed to load or a hook failed)`);
  } else {
    problems.push(`vitest wrote no report (exit ${code})`);
  }
}

if (only !== 'unit') {
  const code = run('npx', ['playwright', 'test', '-c', 'test/e2e/playwright.config.ts', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
  });
  if (existsSync(playwrightJson)) {
    const s = JSON.parse(readFileSync(playwrightJson, 'utf8')).stats;
    totals.passed += s.expected + (s.flaky ?? 0);
    if (s.flaky > 0) problemsNoted.push(`${s.flaky} end-to-end test(s) passed only on retry (flaky): see the list above`);
    totals.failed += s.unexpected;
    totals.skipped += s.skipped;
    if (code !== 0 && s.unexpected === 0) problems.push(`playwright exited with ${code}`);
  } else {
    problems.push(`playwright wrote no report (exit ${code})`);
  }
}

for (const p of problemsNoted) console.log(`note: ${p}`);
for (const p of problems) console.error(`test run problem: ${p}`);
const failed = totals.failed + problems.length;
const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
console.log(`tests: ${totals.passed} passed, ${failed} failed${skipped}`);
process.exit(failed > 0 ? 1 : 0);
