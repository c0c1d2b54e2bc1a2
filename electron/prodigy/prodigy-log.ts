// Where Prodigy process timings and failures go: a replaceable sink (the app's log file, a test's array);
// by default nothing is printed unless FERRY_DEBUG names "prodigy", so tests and the CLI stay quiet.
export type ProdigyLogEntry = {
  readonly operation: string; // "db-out", "textcat.manual", "harvest", "probe"…
  readonly event: 'spawn' | 'exit' | 'ready' | 'failed' | 'stop' | 'harvest';
  readonly ms?: number;
  readonly pid?: number;
  readonly exitCode?: number | null;
  readonly signal?: string | null;
  readonly message?: string;
};

export type ProdigyLogSink = (entry: ProdigyLogEntry) => void;

function debugSink(entry: ProdigyLogEntry): void {
  if (!/\bprodigy\b|\*/.test(process.env.FERRY_DEBUG ?? '')) return;
  process.stderr.write(`[ferry:prodigy] ${JSON.stringify(entry)}\n`);
}

let sink: ProdigyLogSink = debugSink;

// Returns the previous sink so a caller (a test) can put it back.
export function setProdigyLogSink(next: ProdigyLogSink | null): ProdigyLogSink {
  const previous = sink;
  sink = next ?? debugSink;
  return previous;
}

export function logProdigy(entry: ProdigyLogEntry): void {
  try {
    sink(entry);
  } catch {
    // a broken log sink must never take a Prodigy process or a harvest down with it
  }
}
