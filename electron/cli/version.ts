// Ferry's version, read once from package.json next to the sources.
import { readFileSync } from 'node:fs';

let version: string | undefined;

export function ferryVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}
