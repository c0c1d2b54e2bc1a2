// Batch ids: a six-digit queue position first, so S3 lists a region's batches in claim order.

// Batch ids start with a six-digit queue position: S3 lists keys in order, so a listing is the claim order.
export function batchId(position: number, itemIds: readonly string[], hash: (text: string) => string): string {
  return `${String(position).padStart(6, '0')}-${hash(itemIds.join('\n')).slice(0, 10)}`;
}

export function queuePosition(id: string): number | undefined {
  const match = /^(\d{6})-/.exec(id);
  return match ? Number(match[1]) : undefined;
}
