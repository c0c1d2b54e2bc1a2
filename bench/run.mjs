// `npm run bench [-- NAME…] [--strict]`: runs every bench/*.bench.ts in its own process, one after the other,
// collects the JSON each one writes to $FERRY_BENCH_RESULT, prints one summary and writes bench/out/results.json.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, tmpdir, totalmem, release, platform } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO = dirname(BENCH_DIR);
const OUT_DIR = join(BENCH_DIR, 'out');
// A bench that hangs must not hold the machine: each one is stopped (with its moto_server) after this long.
const TIMEOUT_MS = Number(process.env.FERRY_BENCH_TIMEOUT_MS ?? 15 * 60_000);
let interrupted = false; // Ctrl-C stops the bench in flight (and its moto_server) and runs no further ones

function parseArgs(argv) {
  const names = argv.filter((a) => !a.startsWith('--'));
  return { names, strict: argv.includes('--strict') };
}

function discover(names) {
  const all = readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
    .map((f) => ({ name: basename(f, '.bench.ts'), file: join(BENCH_DIR, f) }));
  if (names.length === 0) return all;
  const unknown = names.filter((n) => !all.some((b) => b.name === n));
  if (unknown.length) {
    console.error(`No benchmark named ${unknown.join(', ')}. Available: ${all.map((b) => b.name).join(', ')}.`);
    process.exit(2);
  }
  return all.filter((b) => names.includes(b.name));
}

// Own process group, so a timeout also stops the moto_server the bench started.
function runBench(bench, resultFile) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', bench.file], {
      cwd: REPO,
      env: { ...process.env, FERRY_BENCH_RESULT: resultFile, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    let timedOut = false;
    const kill = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), 5_000).unref();
    }, TIMEOUT_MS);
    const forward = () => {
      interrupted = true;
      kill('SIGTERM');
    };
    process.once('SIGINT', forward);
    process.once('SIGTERM', forward);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve({ code, signal, timedOut, seconds: (Date.now() - started) / 1000 });
    });
  });
}

function pad(text, width, right = false) {
  const s = String(text);
  return right ? s.padStart(width) : s.padEnd(width);
}

function table(headers, rows, rightAligned = []) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => pad(c, widths[i], rightAligned.includes(i))).join("  ").trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function ms(value) {
  return value === null || value === undefined ? '—' : `${Math.round(value)} ms`;
}

function printResult(result) {
  console.log(`\n== ${result.title}`);
  console.log(`   ${result.setup}`);
  const rows = result.measurements.map((m) => [m.tool, ms(m.medianMs), m.runsMs.length ? m.runsMs.join(' / ') : '—', m.skipped ? `SKIPPED: ${m.skipped}` : (m.notes ?? []).join(', '), m.label]);
  console.log(table(['tool', 'median', 'runs (ms)', 'notes', 'what ran'], rows, [1]));
  if (result.ratios.length) {
    console.log('');
    const ratioRows = result.ratios.map((r) => [
      r.name,
      r.value === null ? 'n/a' : r.value.toFixed(2),
      r.target ?? '',
      r.max === undefined ? '' : r.value === null ? 'NOT MEASURED' : r.met ? 'MET' : 'MISSED',
    ]);
    console.log(table(['ratio', 'value', 'target', 'status'], ratioRows, [1]));
  }
  const metrics = Object.entries(result.metrics ?? {});
  if (metrics.length) {
    console.log('');
    for (const [k, v] of metrics) console.log(`   ${k}: ${v ?? '—'}`);
  }
  for (const p of result.problems ?? []) console.log(`   PROBLEM: ${p}`);
}

async function main() {
  const { names, strict } = parseArgs(process.argv.slice(2));
  const benches = discover(names);
  if (benches.length === 0) {
    console.error('No benchmarks found (bench/*.bench.ts).');
    process.exit(2);
  }
  mkdirSync(OUT_DIR, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'ferry-bench-results-'));
  const collected = [];
  const failures = [];
  for (const bench of benches) {
    if (interrupted) break;
    console.log(`\n>> bench ${bench.name} (${bench.file.slice(REPO.length + 1)})`);
    const resultFile = join(scratch, `${bench.name}.json`);
    const run = await runBench(bench, resultFile);
    if (!existsSync(resultFile)) {
      const why = run.timedOut ? `did not finish within ${TIMEOUT_MS / 1000} s and was stopped` : `exited with ${run.code ?? run.signal} without a result`;
      failures.push(`${bench.name}: ${why}`);
      collected.push({ name: bench.name, ok: false, error: why, seconds: run.seconds });
      continue;
    }
    const result = JSON.parse(readFileSync(resultFile, 'utf8'));
    collected.push({ ...result, seconds: run.seconds });
    if (!result.ok || run.code !== 0) failures.push(`${bench.name}: ${result.problems?.join('; ') || `exited with ${run.code}`}`);
  }
  rmSync(scratch, { recursive: true, force: true });

  console.log('\n================ benchmark summary ================');
  console.log(`${new Date().toISOString()} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · ${Math.round(totalmem() / 2 ** 30)} GiB · ${platform()} ${release()} · node ${process.version}`);
  for (const result of collected) {
    if (result.measurements) printResult(result);
    else console.log(`\n== ${result.name}: FAILED — ${result.error}`);
  }
  const missed = collected.flatMap((r) => (r.ratios ?? []).filter((x) => x.max !== undefined && !x.met).map((x) => `${r.name}: ${x.name} ${x.value === null ? 'not measured' : x.value.toFixed(2)} (target ${x.target})`));
  const outFile = join(OUT_DIR, 'results.json');
  // Running one bench (`npm run bench -- pull`) replaces only its own entry: the others' last figures stay.
  const previous = existsSync(outFile) ? (JSON.parse(readFileSync(outFile, 'utf8')).benches ?? []) : [];
  const ran = new Set(collected.map((r) => r.name));
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, memoryGiB: Math.round(totalmem() / 2 ** 30), platform: platform(), release: release(), node: process.version },
    benches: [...previous.filter((r) => !ran.has(r.name)), ...collected],
  };
  writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nresults: ${outFile.slice(REPO.length + 1)}`);
  for (const m of missed) console.log(`target missed — ${m}`);
  for (const f of failures) console.log(`FAILED — ${f}`);
  // A missed target is news, not a broken bench; --strict (CI) makes it fail the run too.
  if (interrupted) process.exit(130);
  process.exit(failures.length > 0 || (strict && missed.length > 0) ? 1 : 0);
}

await main();
