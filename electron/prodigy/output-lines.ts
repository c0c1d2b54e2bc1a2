// Turns a child's stdout/stderr chunks into whole lines and keeps the most recent ones for error messages and the UI.
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

export type OutputStream = 'stdout' | 'stderr';

// Prodigy colours its output when it thinks it has a terminal; the UI shows plain text.
const ANSI_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');

export function stripAnsi(text: string): string {
  return text.replace(ANSI_ESCAPE, '');
}

export class LineRing {
  private readonly lines: string[] = [];
  constructor(private readonly capacity: number) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
  }

  last(count = this.capacity): string[] {
    return this.lines.slice(-count);
  }
}

// Calls onLine for each complete line (CR/LF stripped, ANSI removed); a trailing partial line is flushed at end.
export function splitLines(stream: Readable, onLine: (line: string) => void): void {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  function emit(text: string): void {
    const parts = text.split(/\r?\n|\r/);
    pending = parts.pop() ?? '';
    for (const part of parts) onLine(stripAnsi(part));
  }
  stream.on('data', (chunk: Buffer) => emit(pending + decoder.write(chunk)));
  stream.on('end', () => {
    const rest = pending + decoder.end();
    pending = '';
    if (rest.length > 0) onLine(stripAnsi(rest));
  });
}
