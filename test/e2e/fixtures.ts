// Each e2e test gets its own core + web host (in this process) with a temp workspace, and a page already signed in.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { test as base, expect, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCore, type Core } from '../../electron/host/core.ts';
import { startWebHost, type WebHost } from '../../electron/host/web-host.ts';
import type { ConfigView } from '../../shared/api.ts';
import type { WorkspaceConfigInput } from '../../shared/config.ts';

const repo = resolve(import.meta.dirname, '../..');
export const RENDERER_DIST = join(repo, 'dist', 'renderer');
export const SCREENS_DIR = join(repo, 'test-results', 'screens');
export const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
// A profile in the test's own AWS config file, so the profile picker has something real to list.
export const TEST_PROFILE = 'ferry-e2e';

export type FerryE2E = {
  readonly core: Core;
  /** The running host; replaced by restartHost(). */
  readonly host: WebHost;
  /** Temp folder owned by this test; removed afterwards. */
  readonly dir: string;
  readonly configPath: string;
  readonly dataDir: string;
  readonly s3Endpoint: string;
  /** Origin of the web host without the token, for requests that must be refused. */
  readonly origin: string;
  createBucket(): Promise<string>;
  /** The workspace file as the core reads it (config.get). */
  readConfig(): Promise<ConfigView>;
  /** Writes the workspace file through the core, as the Settings screen would. */
  saveConfig(config: WorkspaceConfigInput): Promise<void>;
  /** A workspace pointing at `bucket` on the test's S3 server. */
  workspaceFor(bucket: string): WorkspaceConfigInput;
  /** Console errors matching this are expected (e.g. the browser logging a refused handshake) and do not fail the test. */
  allowConsoleErrors(pattern: RegExp): void;
  readonly allowedConsoleErrors: readonly RegExp[];
  /** Stops the host, runs `whileDown`, then starts it again on the same port, with the same token unless `newToken`. */
  restartHost(options?: { readonly whileDown?: () => Promise<void>; readonly newToken?: boolean }): Promise<void>;
};

function s3Endpoint(): string {
  const endpoint = process.env.FERRY_TEST_S3_ENDPOINT;
  if (!endpoint) throw new Error('FERRY_TEST_S3_ENDPOINT is not set: run the e2e tests with `npx playwright test -c test/e2e/playwright.config.ts` so global setup starts moto_server.');
  return endpoint;
}

async function isolateAwsEnvironment(dir: string): Promise<void> {
  const awsDir = join(dir, 'aws');
  await mkdir(awsDir, { recursive: true });
  await writeFile(join(awsDir, 'config'), `[profile ${TEST_PROFILE}]\nregion = us-east-1\n`);
  await writeFile(join(awsDir, 'credentials'), `[${TEST_PROFILE}]\naws_access_key_id = testing\naws_secret_access_key = testing\n`);
  // The core runs in this process, so its credential chain reads these and never the machine's own ~/.aws.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(awsDir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(awsDir, 'credentials'),
  });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
}

// The whole screen in one image: the viewport grows to the document's height, so the sticky sidebar and the
// fixed status bar sit where a person sees them rather than mid-image, then it is put back.
export async function screenshotScreen(page: Page, name: string): Promise<string> {
  const path = join(SCREENS_DIR, `${name}.png`);
  const viewport = page.viewportSize() ?? { width: 1280, height: 860 };
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
  try {
    await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  } finally {
    await page.setViewportSize(viewport);
  }
  return path;
}

export const test = base.extend<{ ferry: FerryE2E }>({
  // Playwright reads fixture dependencies from the destructuring pattern, so an empty one is required here.
  // eslint-disable-next-line no-empty-pattern
  async ferry({}, use) {
    const endpoint = s3Endpoint();
    const dir = await mkdtemp(join(tmpdir(), 'ferry-e2e-'));
    await isolateAwsEnvironment(dir);
    const configPath = join(dir, 'ferry.json');
    const dataDir = join(dir, 'data');
    const core = createCore({ configPath, host: 'web', version: '0.0.0-e2e' });
    let host = await startWebHost({ core, port: 0, distDir: RENDERER_DIST });
    const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: TEST_CREDENTIALS });
    const expectedConsoleErrors: RegExp[] = [];
    try {
      await use({
        core,
        get host() {
          return host;
        },
        dir,
        configPath,
        dataDir,
        s3Endpoint: endpoint,
        origin: `http://127.0.0.1:${host.port}`,
        async createBucket() {
          const name = `e2e-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
          await s3.send(new CreateBucketCommand({ Bucket: name }));
          return name;
        },
        async readConfig() {
          const result = await core.dispatch('config.get', {});
          if (!result.ok) throw new Error(`config.get failed: ${result.error.code}: ${result.error.message}`);
          return result.value as ConfigView;
        },
        async saveConfig(config) {
          const result = await core.dispatch('config.save', { config });
          if (!result.ok) throw new Error(`config.save failed: ${result.error.code}: ${result.error.message}`);
        },
        workspaceFor(bucket) {
          return { bucket, prefix: '', awsRegion: 'us-east-1', endpoint, forcePathStyle: true, annotator: 'maria.k', region: 'emea', dataDir };
        },
        allowedConsoleErrors: expectedConsoleErrors,
        allowConsoleErrors(pattern) {
          expectedConsoleErrors.push(pattern);
        },
        async restartHost(options = {}) {
          const { port, token } = host;
          await host.close();
          await options.whileDown?.();
          host = await startWebHost({ core, port, distDir: RENDERER_DIST, ...(options.newToken ? {} : { token }) });
        },
      });
    } finally {
      s3.destroy();
      await host.close();
      await core.close();
      await rm(dir, { recursive: true, force: true });
    }
  },

  // The page opens the tokenised URL; any script error or CSP violation during the test fails it.
  async page({ page, ferry }, use) {
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    await page.goto(ferry.host.url);
    await use(page);
    const unexpected = problems.filter((problem) => !ferry.allowedConsoleErrors.some((pattern) => pattern.test(problem)));
    expect(unexpected, 'the renderer logged errors (CSP violations show up here)').toEqual([]);
  },
});

export { expect };
