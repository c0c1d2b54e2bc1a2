// Profile names for the Settings picker, read from real (temp) AWS config and credentials files.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAwsProfiles } from '../../../electron/config/aws-profiles.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-aws-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('listAwsProfiles', () => {
  it('merges both files: "[profile x]" and "[x]" become x, default first, sorted, no duplicates, no sso-sessions', async () => {
    const config = join(dir, 'config');
    const credentials = join(dir, 'credentials');
    await writeFile(config, '[default]\nregion = eu-west-1\n[profile zeta]\nregion = us-east-1\n[profile team-emea]\nsso_session = corp\n[sso-session corp]\nsso_region = eu-west-1\n[services local]\ns3 =\n  endpoint_url = http://localhost\n');
    await writeFile(credentials, '[team-emea]\naws_access_key_id = AKIA\naws_secret_access_key = s\n[alpha]\naws_access_key_id = AKIA\naws_secret_access_key = s\n[default]\naws_access_key_id = AKIA\naws_secret_access_key = s\n');
    const result = await listAwsProfiles({ AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials });
    expect(result).toEqual({ profiles: ['default', 'alpha', 'team-emea', 'zeta'], files: [config, credentials] });
  });

  it('lists nothing, and no files, when neither file exists', async () => {
    const result = await listAwsProfiles({ AWS_CONFIG_FILE: join(dir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials') });
    expect(result).toEqual({ profiles: [], files: [] });
  });

  it('reads the files named by the environment when called without arguments', async () => {
    const config = join(dir, 'config');
    await writeFile(config, '[profile only-here]\nregion = us-east-1\n');
    const saved = { c: process.env.AWS_CONFIG_FILE, s: process.env.AWS_SHARED_CREDENTIALS_FILE };
    process.env.AWS_CONFIG_FILE = config;
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'none');
    try {
      expect(await listAwsProfiles()).toEqual({ profiles: ['only-here'], files: [config] });
    } finally {
      if (saved.c === undefined) delete process.env.AWS_CONFIG_FILE;
      else process.env.AWS_CONFIG_FILE = saved.c;
      if (saved.s === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
      else process.env.AWS_SHARED_CREDENTIALS_FILE = saved.s;
    }
  });
});
