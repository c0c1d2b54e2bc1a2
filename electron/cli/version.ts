// Ferry's version, read once from package.json next to the sources.
import { readFileSync } from 'node:fs';

export function ferryVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
