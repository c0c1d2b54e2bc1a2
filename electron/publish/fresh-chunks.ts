// Bodies of chunks this process has just sealed, kept for the upload that usually follows at once: their SHA-256 was
// computed over these very bytes, so the outbox need not read the file back and hash it again. Bounded by bytes; a
// chunk not found here (another process sealed it, a restart, a retry) is read from its file and verified as before.
const MAX_BYTES = 32 * 1024 * 1024;

const fresh = new Map<string, Buffer>();
let held = 0;

export function keepFreshChunk(sha256: string, body: Buffer): void {
  if (body.length > MAX_BYTES || fresh.has(sha256)) return;
  fresh.set(sha256, body);
  held += body.length;
  // Oldest first: a backlog sealed while offline is uploaded later from its files.
  for (const [key, old] of fresh) {
    if (held <= MAX_BYTES) break;
    fresh.delete(key);
    held -= old.length;
  }
}

// Once: a retry of the same job reads the file, so a failed upload never pins memory.
export function takeFreshChunk(sha256: string): Buffer | undefined {
  const body = fresh.get(sha256);
  if (body === undefined) return undefined;
  fresh.delete(sha256);
  held -= body.length;
  return body;
}
