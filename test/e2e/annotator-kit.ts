// What the annotator e2e tests share: the lead's seeding (real S3 client, Ferry's own lead code), filling Settings
// like a person, and working in the Prodigy stand-in's tab.
import { S3Client } from '@aws-sdk/client-s3';
import type { BrowserContext, Page } from '@playwright/test';
import { createBatches } from '../../electron/batches/create-batches.ts';
import { createProject, type NewProject, type S3Target } from '../../electron/projects/projects.ts';
import { textPool, writePool } from '../helpers/workspace-fixture.ts';
import { expect, TEST_CREDENTIALS } from './fixtures.ts';

export const PROJECT = 'news';
export const REGION = 'emea';
export const ANNOTATOR = 'maria.k';

export function plainS3(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: TEST_CREDENTIALS });
}

export type Seeded = { readonly batches: readonly string[]; readonly tasksPerBatch: number };

// The team lead's side, done before the annotator opens Ferry: a project and `count` batches for emea.
export async function seedProject(
  client: S3Client,
  bucket: string,
  dir: string,
  options: { readonly count?: number; readonly size?: number; readonly project?: Partial<NewProject>; readonly pool?: readonly unknown[] } = {},
): Promise<Seeded> {
  const target: S3Target = { client, bucket, prefix: '' };
  const size = options.size ?? 5;
  const count = options.count ?? 2;
  await createProject(target, { name: PROJECT, recipe: 'textcat.manual', labels: ['POSITIVE', 'NEGATIVE'], regions: [REGION, 'apac'], createdBy: 'lead', ...options.project });
  if (count === 0) return { batches: [], tasksPerBatch: size };
  const pool = writePool(dir, `pool-${Date.now().toString(36)}.jsonl`, options.pool ?? textPool(size * count));
  const created = await createBatches(target, { project: PROJECT, region: REGION, poolFile: pool, size, createdBy: 'lead' });
  return { batches: created.created.map((b) => b.batch), tasksPerBatch: size };
}

function textbox(page: Page, name: string) {
  return page.getByRole('textbox', { name, exact: true });
}

export type SettingsValues = { readonly bucket: string; readonly endpoint: string; readonly dataDir: string; readonly prodigyCommand: string };

// Fills the Settings form the way a person does and saves it.
export async function configureInSettings(page: Page, values: SettingsValues): Promise<void> {
  await page.getByRole('link', { name: 'Settings' }).click();
  await textbox(page, 'Bucket').fill(values.bucket);
  await textbox(page, 'AWS region').fill('us-east-1');
  await textbox(page, 'Endpoint URL').fill(values.endpoint);
  await page.getByRole('checkbox', { name: 'Use path-style addresses' }).check();
  await textbox(page, 'Annotator name').fill(ANNOTATOR);
  await textbox(page, 'Team region').fill(REGION);
  await textbox(page, 'Data folder').fill(values.dataDir);
  await textbox(page, 'Prodigy command').fill(values.prodigyCommand);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved to' })).toBeVisible();
}

export function batchRow(page: Page, batch: string) {
  return page.locator(`tr.batch-row[data-batch="${PROJECT}/${REGION}/${batch}"]`);
}

export type ProdigyTab = { readonly tab: Page; readonly firstStatus: number };

// Clicks Open in Prodigy and catches the new tab. From the web host the tab goes through Ferry's logged-in proxy;
// should a login prompt (401) ever come, the person types the login Ferry shows: here, the context's HTTP credentials.
export async function openProdigyTab(page: Page, context: BrowserContext): Promise<ProdigyTab> {
  const statuses: number[] = [];
  const onResponse = (response: { request(): { resourceType(): string }; status(): number }) => {
    if (response.request().resourceType() === 'document') statuses.push(response.status());
  };
  context.on('response', onResponse);
  const tabOpened = context.waitForEvent('page');
  await page.getByRole('button', { name: 'Open in Prodigy' }).click();
  const tab = await tabOpened;
  await tab.waitForLoadState('domcontentloaded');
  await expect(page.getByTestId('prodigy-running')).toBeVisible();
  if (statuses[0] === 401) {
    const username = (await page.getByTestId('prodigy-username').textContent()) ?? '';
    const password = (await page.getByTestId('prodigy-password').textContent()) ?? '';
    // The tab sits on Chromium's error page now, so Prodigy's address comes from Ferry's Reopen link.
    const url = (await page.getByRole('link', { name: 'Reopen Prodigy' }).getAttribute('href')) ?? '';
    await context.setHTTPCredentials({ origin: new URL(url).origin, username, password });
    await tab.goto(url);
  }
  context.off('response', onResponse);
  await expect(tab.locator('#accept')).toBeEnabled();
  return { tab, firstStatus: statuses[0] ?? 0 };
}

export type Answer = 'accept' | 'reject' | 'ignore';

// Answers the next tasks with the stand-in's buttons and saves; returns each task's text with its answer.
export async function answerInProdigy(tab: Page, answers: readonly Answer[]): Promise<{ text: string; answer: Answer }[]> {
  const given: { text: string; answer: Answer }[] = [];
  for (const [i, answer] of answers.entries()) {
    const text = (await tab.locator('#task-text').textContent()) ?? '';
    await tab.locator(`#${answer}`).click();
    given.push({ text, answer });
    await expect(tab.locator('#counter')).toHaveAttribute('data-answered', String(i + 1));
  }
  await tab.locator('#save').click();
  await expect(tab.locator(`#counter[data-saved="${answers.length}"]`)).toBeVisible();
  return given;
}
