// The one shape every benchmark hands to bench/run.mjs, so the runner can table any bench without knowing it.
import { writeFileSync } from 'node:fs';

export type Measurement = {
  readonly tool: string; // "ferry", "rclone", "aws" …
  readonly label: string; // what exactly ran, e.g. "rclone copy --transfers 16"
  readonly runsMs: readonly number[];
  readonly medianMs: number | null; // null when the tool was skipped
  readonly skipped?: string; // why it did not run (not installed, failed to verify …)
  readonly notes?: readonly string[];
};

export type Ratio = {
  readonly name: string; // "ferry/rclone"
  readonly value: number | null; // null when one side is missing
  readonly target?: string; // human text, e.g. "≤ 1.00 (Ferry no slower than rclone)"
  readonly max?: number; // the ratio that still meets the target
  readonly met?: boolean;
};

export type BenchResult = {
  readonly name: string;
  readonly title: string;
  readonly setup: string; // one line: data set, server, concurrency
  readonly measurements: readonly Measurement[];
  readonly ratios: readonly Ratio[];
  readonly metrics: Readonly<Record<string, number | string | null>>;
  readonly ok: boolean; // false when Ferry itself failed to produce a verified result
  readonly problems: readonly string[];
};

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// The median of the values that are known, to the whole number (null when none is).
export function medianOf(values: readonly (number | undefined | null)[]): number | null {
  const value = median(values.filter((v): v is number => typeof v === 'number'));
  return value === null ? null : Math.round(value);
}

export function ratioOf(name: string, numerator: number | null, denominator: number | null, max?: number, target?: string): Ratio {
  const value = numerator !== null && denominator !== null && denominator > 0 ? numerator / denominator : null;
  return {
    name,
    value,
    ...(target !== undefined ? { target } : {}),
    ...(max !== undefined ? { max, met: value === null ? false : value <= max } : {}),
  };
}

// The runner passes FERRY_BENCH_RESULT; run standalone, the bench prints its JSON instead.
export function emitResult(result: BenchResult): void {
  const out = process.env.FERRY_BENCH_RESULT;
  const json = JSON.stringify(result, null, 2);
  if (out) writeFileSync(out, json);
  else process.stdout.write(`${json}\n`);
}
