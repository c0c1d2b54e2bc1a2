// Lists the AWS profile names a person can pick in Settings, from the same files the SDK reads.
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { getHomeDir, loadSharedConfigFiles } from '@smithy/core/config';

export type AwsProfiles = { readonly profiles: string[]; readonly files: string[] };

// Sections of ~/.aws/config that are not profiles; the loader names them "sso-session.x" / "services.x".
const NON_PROFILE_SECTIONS = ['sso-session.', 'services.'];

function sharedFilePaths(env: NodeJS.ProcessEnv): string[] {
  const home = getHomeDir();
  return [resolve(env.AWS_CONFIG_FILE || join(home, '.aws', 'config')), resolve(env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'))];
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export async function listAwsProfiles(env: NodeJS.ProcessEnv = process.env): Promise<AwsProfiles> {
  const [configFilepath, filepath] = sharedFilePaths(env) as [string, string];
  // The loader strips "profile " from config-file sections, so "[profile x]" and "[x]" both arrive as "x".
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ configFilepath, filepath, ignoreCache: true });
  const names = new Set<string>();
  for (const name of [...Object.keys(configFile), ...Object.keys(credentialsFile)]) {
    if (!NON_PROFILE_SECTIONS.some((p) => name.startsWith(p))) names.add(name);
  }
  const profiles = [...names].sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
  const files: string[] = [];
  for (const path of [configFilepath, filepath]) if (await exists(path)) files.push(path);
  return { profiles, files };
}
