// Connect / Settings in a real browser against a real core, web host and S3 protocol server.
import type { Page } from '@playwright/test';
import { readFile, writeFile } from 'node:fs/promises';
import { startConditionalBlindProxy } from './conditional-blind-proxy.ts';
import { expect, screenshotScreen, test, TEST_PROFILE } from './fixtures.ts';

const CHECK_IDS = ['credentials', 'bucket', 'list', 'read', 'write', 'conditional-writes'] as const;

function textbox(page: Page, name: string) {
  return page.getByRole('textbox', { name, exact: true });
}

async function fillWorkspace(page: Page, values: { bucket: string; endpoint: string; dataDir: string; region?: string }): Promise<void> {
  await textbox(page, 'Bucket').fill(values.bucket);
  await textbox(page, 'AWS region').fill('us-east-1');
  await textbox(page, 'Endpoint URL').fill(values.endpoint);
  await page.getByRole('checkbox', { name: 'Use path-style addresses' }).check();
  await textbox(page, 'Annotator name').fill('maria.k');
  await textbox(page, 'Team region').fill(values.region ?? 'emea');
  await textbox(page, 'Data folder').fill(values.dataDir);
}

test('a first run asks to connect Ferry to the team bucket', async ({ page, ferry }) => {
  await expect(page.getByRole('heading', { name: "Connect Ferry to your team's bucket" })).toBeVisible();
  await expect(page).toHaveURL(/#\/settings$/);
  // The token traded for a cookie does not stay in the address bar.
  expect(page.url()).not.toContain(ferry.host.token);
  await expect(page.getByText(ferry.configPath)).toBeVisible();
  await expect(textbox(page, 'Bucket')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(textbox(page, 'Prefix')).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
  await expect(page.getByText('Sync: unknown')).toBeVisible();
  await expect(page.getByText('Workspace not configured')).toBeVisible();
  const profile = page.getByRole('combobox', { name: 'AWS profile' });
  await expect(profile).toHaveValue('');
  await expect(profile.locator('option').first()).toHaveText('Default credential chain');
  await expect(profile.locator('option', { hasText: TEST_PROFILE })).toHaveCount(1);
  await screenshotScreen(page, 'settings-empty');
});

test('a workspace on the S3 server saves, and every connection check passes', async ({ page, ferry }) => {
  const bucket = await ferry.createBucket();
  await fillWorkspace(page, { bucket, endpoint: ferry.s3Endpoint, dataDir: ferry.dataDir });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved to' })).toContainText(ferry.configPath);
  await expect(page.getByRole('heading', { name: 'Settings', exact: true })).toBeVisible();
  await expect(page.getByText('maria.k@emea')).toBeVisible();

  await page.getByRole('button', { name: 'Test connection' }).click();
  const report = page.getByRole('region', { name: 'Connection test' });
  await expect(report.getByText('All checks passed')).toBeVisible();
  for (const id of CHECK_IDS) {
    const check = report.locator(`[data-check="${id}"]`);
    await expect(check, `check ${id}`).toHaveAttribute('data-outcome', 'passed');
    await expect(check.locator('.check-message')).not.toBeEmpty();
  }
  await expect(report.locator('[data-outcome]:not([data-outcome="passed"])')).toHaveCount(0);
  await expect(page.getByTestId('conditional-writes-banner')).toHaveCount(0);
  await screenshotScreen(page, 'settings-ok');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshotScreen(page, 'settings-ok-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // What was saved is what the core reads back, and what the screen shows after a reload.
  expect((await ferry.readConfig()).config).toMatchObject({ bucket, endpoint: ferry.s3Endpoint, forcePathStyle: true, annotator: 'maria.k', region: 'emea' });
  await page.reload();
  await expect(textbox(page, 'Bucket')).toHaveValue(bucket);
  await expect(page.getByRole('checkbox', { name: 'Use path-style addresses' })).toBeChecked();
});

test('a bucket that does not exist fails the bucket check with its reason', async ({ page, ferry }) => {
  const missing = `ferry-missing-${Date.now().toString(36)}`;
  await fillWorkspace(page, { bucket: missing, endpoint: ferry.s3Endpoint, dataDir: ferry.dataDir });
  await page.getByRole('button', { name: 'Test connection' }).click();
  const report = page.getByRole('region', { name: 'Connection test' });
  await expect(report.getByText(/checks? failed/)).toBeVisible();
  await expect(report.locator('[data-check="credentials"]')).toHaveAttribute('data-outcome', 'passed');
  const bucketCheck = report.locator('[data-check="bucket"]');
  await expect(bucketCheck).toHaveAttribute('data-outcome', 'failed');
  await expect(bucketCheck.locator('.check-message')).toContainText(missing);
  await screenshotScreen(page, 'settings-error');
});

test('an invalid team region is shown next to its field and nothing is saved', async ({ page, ferry }) => {
  const bucket = await ferry.createBucket();
  await fillWorkspace(page, { bucket, endpoint: ferry.s3Endpoint, dataDir: ferry.dataDir, region: 'EMEA!' });
  await page.getByRole('button', { name: 'Save' }).click();
  const region = textbox(page, 'Team region');
  await expect(region).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('region-error')).toContainText('team region');
  await expect(page.getByTestId('bucket-error')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Not saved' })).toBeVisible();
  await screenshotScreen(page, 'settings-field-error');
  expect((await ferry.readConfig()).exists).toBe(false);

  // Correcting the field clears its error and the save goes through.
  await region.fill('emea');
  await expect(page.getByTestId('region-error')).toHaveCount(0);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved to' })).toBeVisible();
});

test('problems in the workspace file are shown next to the fields they name', async ({ page, ferry }) => {
  // The first run lands on Settings; written before that, the file would make it land on My batches instead.
  await expect(page.getByRole('heading', { name: "Connect Ferry to your team's bucket" })).toBeVisible();
  await ferry.saveConfig(ferry.workspaceFor('team-bucket'));
  const text = await readFile(ferry.configPath, 'utf8');
  // Break one field the way a hand edit would.
  await writeFile(ferry.configPath, text.replace('"us-east-1"', '"Frankfurt"'));
  await page.reload();
  await expect(textbox(page, 'AWS region')).toHaveValue('');
  await expect(textbox(page, 'AWS region')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('awsRegion-error')).toContainText('Should be an AWS region such as eu-west-1');
  await expect(textbox(page, 'Bucket')).toHaveValue('team-bucket');
});

test('a store that ignores conditional writes gets the amber warning about claims', async ({ page, ferry }) => {
  const bucket = await ferry.createBucket();
  const proxy = await startConditionalBlindProxy(ferry.s3Endpoint);
  try {
    await fillWorkspace(page, { bucket, endpoint: proxy.endpoint, dataDir: ferry.dataDir });
    await page.getByRole('button', { name: 'Test connection' }).click();
    const report = page.getByRole('region', { name: 'Connection test' });
    await expect(report.locator('[data-check="conditional-writes"]')).toHaveAttribute('data-outcome', /warning|failed/);
    const banner = page.getByTestId('conditional-writes-banner');
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('one holder');
    for (const id of ['credentials', 'bucket', 'list', 'read', 'write']) {
      await expect(report.locator(`[data-check="${id}"]`), `check ${id}`).toHaveAttribute('data-outcome', 'passed');
    }
    await screenshotScreen(page, 'settings-conditional-warning');
  } finally {
    await proxy.close();
  }
});
