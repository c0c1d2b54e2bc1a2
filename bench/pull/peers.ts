// The peer tools the pull is compared with, configured from the environment only (no config files).
import { CREDENTIALS, findOnPath } from '../lib/process.ts';

export type PeerCommand = { readonly tool: string; readonly label: string; readonly command: string; readonly args: readonly string[]; readonly env: Readonly<Record<string, string>> };
export type PeerSource = { readonly endpoint: string; readonly bucket: string; readonly prefix: string; readonly transfers: number };

export const INSTALL_HINTS: Readonly<Record<string, string>> = {
  rclone: 'apt-get install -y rclone',
  aws: 'apt-get install -y awscli (or pip install awscli)',
};

export function rcloneCommand(source: PeerSource, dest: string): PeerCommand | null {
  const command = findOnPath('rclone');
  if (!command) return null;
  return {
    tool: 'rclone',
    label: `rclone copy --transfers ${source.transfers}`,
    command,
    // --config "" = no config file at all; the remote "moto" exists only in the RCLONE_CONFIG_MOTO_* variables.
    args: ['copy', '--config', '', `moto:${source.bucket}/${source.prefix.replace(/\/$/, '')}`, dest, '--transfers', String(source.transfers)],
    env: {
      RCLONE_CONFIG_MOTO_TYPE: 's3',
      RCLONE_CONFIG_MOTO_PROVIDER: 'Other',
      RCLONE_CONFIG_MOTO_ENDPOINT: source.endpoint,
      RCLONE_CONFIG_MOTO_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      RCLONE_CONFIG_MOTO_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      RCLONE_CONFIG_MOTO_FORCE_PATH_STYLE: 'true',
    },
  };
}

export function awsSyncCommand(source: PeerSource, dest: string): PeerCommand | null {
  const command = findOnPath('aws');
  if (!command) return null;
  return {
    tool: 'aws',
    label: 'aws s3 sync (default 10 concurrent requests)',
    command,
    args: ['s3', 'sync', `s3://${source.bucket}/${source.prefix}`, dest, '--endpoint-url', source.endpoint, '--only-show-errors'],
    env: {},
  };
}

// `aws` may be a pyenv shim that exists but cannot run; ask it once before timing it.
export function versionArgs(tool: string): readonly string[] {
  return tool === 'rclone' ? ['version'] : ['--version'];
}
