// The annotator's morning in a real browser: configure, Get my batch, annotate in the Prodigy stand-in's tab, submit,
// and then a plain S3 client (not Ferry's code) reads what reached the team's bucket.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { startFaultProxy } from '../helpers/s3-fault-proxy.ts';
import { STANDIN_BIN } from '../prodigy-standin/harness.ts';
import { answerInProdigy, ANNOTATOR, batchRow, configureInSettings, openProdigyTab, plainS3, PROJECT, REGION, seedProject } from './annotator-kit.ts';
import { expect, screenshotScreen, test } from './fixtures.ts';

const STANDIN_COMMAND = ['python3', STANDIN_BIN];

test('an annotator gets a batch, answers three tasks in Prodigy, submits, and the answers are in the bucket', async ({ page, context, ferry }) => {
  test.setTimeout(150_000);
  const s3 = plainS3(ferry.s3Endpoint);
  const bucket = await ferry.createBucket();
  const { batches, tasksPerBatch } = await seedProject(s3, bucket, ferry.dir, { count: 2, size: 5 });

  await configureInSettings(page, { bucket, endpoint: ferry.s3Endpoint, dataDir: ferry.dataDir, prodigyCommand: STANDIN_COMMAND.join(' ') });
  await page.getByRole('link', { name: 'My batches' }).click();
  await expect(page.getByRole('heading', { name: 'No batches yet' })).toBeVisible();
  await expect(page.getByTestId('empty-state')).toContainText('claim the next batch for region emea');
  await expect(page.getByTestId('standin-notice')).toHaveText('Using the Prodigy stand-in — a test double, not Prodigy');
  // app-shell.spec.ts saves the unconfigured empty state as my-batches-empty.png.
  await screenshotScreen(page, 'my-batches-empty-configured');

  await page.getByRole('button', { name: 'Get my batch' }).click();
  const row = batchRow(page, batches[0]!);
  await expect(row).toHaveAttribute('data-status', 'ready');
  await expect(row.getByTestId('status-pill')).toHaveText('Ready');
  await expect(row).toContainText(`0 / ${tasksPerBatch}`);
  await expect(row).toContainText('textcat.manual');

  await row.getByRole('link').click();
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText(`${PROJECT} / ${batches[0]!.slice(0, 11)}`);
  await expect(heading).toBeFocused();
  await expect(page.getByTestId('answer-meter')).toHaveText(`0 / ${tasksPerBatch} tasks answered`);
  await expect(page.getByRole('list', { name: 'Labels' })).toHaveText('POSITIVENEGATIVE');
  await expect(page.getByText(/^Yours until /)).toBeVisible();
  await screenshotScreen(page, 'batch-view-ready');

  const { tab, firstStatus } = await openProdigyTab(page, context);
  // The web host serves Prodigy through its logged-in proxy: the tab opens straight away, with no login prompt.
  expect(firstStatus).toBe(200);
  await expect(page.getByTestId('prodigy-login')).toHaveCount(0);
  await expect(page.getByTestId('status-pill')).toHaveText('Annotating');
  const given = await answerInProdigy(tab, ['accept', 'reject', 'accept']);

  await page.bringToFront();
  // The harvest loop reads Prodigy's database while it runs; the meter follows its `batch` events.
  await expect(page.getByTestId('answer-meter')).toHaveText(`3 / ${tasksPerBatch} tasks answered`, { timeout: 30_000 });
  await screenshotScreen(page, 'batch-view-annotating');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshotScreen(page, 'batch-view-annotating-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  const submit = page.getByRole('button', { name: 'Submit', exact: true });
  await submit.click();
  const dialog = page.getByRole('dialog', { name: `3 of ${tasksPerBatch} tasks answered — submit anyway?` });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(submit).toBeFocused();
  await submit.click();
  await dialog.getByRole('button', { name: 'Submit anyway' }).click();
  await expect(page.getByTestId('status-pill')).toHaveText('Submitted', { timeout: 30_000 });
  await expect(page.getByTestId('submit-outcome')).toContainText(`Submitted 3 answers of batch ${batches[0]}`);
  await expect(page.getByTestId('answer-meter')).toHaveText(`3 / ${tasksPerBatch} tasks answered`);
  await screenshotScreen(page, 'batch-view-submitted');

  // What reached the bucket, read with a plain S3 client.
  const resultsPrefix = `projects/${PROJECT}/results/${REGION}/${batches[0]}/${ANNOTATOR}/`;
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: resultsPrefix }));
  const chunkKeys = (listed.Contents ?? []).map((o) => o.Key!);
  expect(chunkKeys).toHaveLength(1);
  const chunkBody = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: chunkKeys[0]! }))).Body!.transformToString();
  const lines = chunkBody.trim().split('\n').map((line) => JSON.parse(line) as { text: string; answer: string; _input_hash: unknown; _task_hash: unknown });
  expect(lines).toHaveLength(3);
  for (const line of lines) {
    expect(line).toEqual(expect.objectContaining({ answer: expect.any(String), _input_hash: expect.any(Number), _task_hash: expect.any(Number) }));
  }
  const byText = (list: readonly { text: string; answer: string }[]) => list.map(({ text, answer }) => `${answer}: ${text}`).sort();
  expect(byText(lines)).toEqual(byText(given));
  const marker = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `projects/${PROJECT}/submissions/${REGION}/${batches[0]}/${ANNOTATOR}.json` }))).Body!.transformToString()) as {
    chunks: { key: string; sha256: string; count: number }[];
  };
  expect(marker.chunks).toEqual([expect.objectContaining({ key: chunkKeys[0], sha256: createHash('sha256').update(chunkBody).digest('hex'), count: 3 })]);

  // Back on My batches, focus returns to the batch's row; the next batch joins it.
  await page.getByRole('link', { name: 'My batches' }).first().click();
  await expect(row.getByRole('link')).toBeFocused();
  await expect(row.getByTestId('status-pill')).toHaveText('Submitted');
  await page.getByRole('button', { name: 'Get my batch' }).click();
  await expect(batchRow(page, batches[1]!)).toHaveAttribute('data-status', 'ready');
  await screenshotScreen(page, 'my-batches-list');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshotScreen(page, 'my-batches-list-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  s3.destroy();
});

test('when no batch is left for the region, an informational banner says so in the core’s words', async ({ page, ferry }) => {
  const s3 = plainS3(ferry.s3Endpoint);
  const bucket = await ferry.createBucket();
  await seedProject(s3, bucket, ferry.dir, { count: 0 });
  s3.destroy();
  await ferry.saveConfig({ ...ferry.workspaceFor(bucket), prodigyCommand: STANDIN_COMMAND });
  await page.goto(`${ferry.origin}/`);
  await page.getByRole('button', { name: 'Get my batch' }).click();
  const banner = page.getByTestId('claim-problem');
  await expect(banner).toHaveAttribute('data-code', 'no-batches-left');
  await expect(banner).toHaveAttribute('role', 'status');
  await expect(banner).toContainText(`No batches are left for region "${REGION}" in any project (${PROJECT}). Ask your team lead to create more, then try again.`);
  await expect(page.getByRole('heading', { name: 'No batches yet' })).toBeVisible();
  await screenshotScreen(page, 'my-batches-none-left');
  await banner.getByRole('button', { name: 'Dismiss' }).click();
  await expect(banner).toHaveCount(0);
});

test('a Prodigy command that does not exist shows prodigy-not-found next to Open in Prodigy', async ({ page, ferry }) => {
  const s3 = plainS3(ferry.s3Endpoint);
  const bucket = await ferry.createBucket();
  const { batches } = await seedProject(s3, bucket, ferry.dir, { count: 1 });
  s3.destroy();
  await ferry.saveConfig({ ...ferry.workspaceFor(bucket), prodigyCommand: ['/nonexistent/prodigy'] });
  await page.goto(`${ferry.origin}/`);
  await expect(page.getByTestId('prodigy-missing')).toContainText('Prodigy was not found');
  await page.getByRole('button', { name: 'Get my batch' }).click();
  await batchRow(page, batches[0]!).getByRole('link').click();
  await page.getByRole('button', { name: 'Open in Prodigy' }).click();
  const annotate = page.getByRole('region', { name: 'Annotate' });
  const error = annotate.getByTestId('prodigy-error');
  await expect(error).toContainText('Prodigy was not found');
  await expect(error).toContainText('/nonexistent/prodigy');
  await expect(annotate.getByRole('button', { name: 'Open in Prodigy' })).toBeEnabled();
  await expect(page.getByTestId('status-pill')).toHaveText('Ready');
});

test('Prodigy that exits while starting shows its message and its last lines in a collapsible block', async ({ page, ferry }) => {
  const s3 = plainS3(ferry.s3Endpoint);
  const bucket = await ferry.createBucket();
  const { batches } = await seedProject(s3, bucket, ferry.dir, { count: 1, project: { prodigyArgs: ['--no-such-option'] } });
  s3.destroy();
  await ferry.saveConfig({ ...ferry.workspaceFor(bucket), prodigyCommand: STANDIN_COMMAND });
  await page.goto(`${ferry.origin}/`);
  await page.getByRole('button', { name: 'Get my batch' }).click();
  await batchRow(page, batches[0]!).getByRole('link').click();
  await page.getByRole('button', { name: 'Open in Prodigy' }).click();
  const error = page.getByRole('region', { name: 'Annotate' }).getByTestId('prodigy-error');
  await expect(error).toContainText('Prodigy could not start');
  const lines = error.getByTestId('prodigy-last-lines');
  await expect(lines).toBeHidden();
  await error.getByText(/Prodigy's last \d+ lines?/).click();
  await expect(lines).toBeVisible();
  await expect(lines).toContainText('--no-such-option');
  await screenshotScreen(page, 'batch-view-error');
});

test('the keyboard alone gets a batch and opens it', async ({ page, ferry }) => {
  const s3 = plainS3(ferry.s3Endpoint);
  const bucket = await ferry.createBucket();
  const { batches } = await seedProject(s3, bucket, ferry.dir, { count: 1 });
  s3.destroy();
  await ferry.saveConfig({ ...ferry.workspaceFor(bucket), prodigyCommand: STANDIN_COMMAND });
  await page.goto(`${ferry.origin}/`);
  const getBatch = page.getByRole('button', { name: 'Get my batch' });
  await expect(getBatch).toBeEnabled();
  for (let presses = 0; presses < 10 && !(await getBatch.evaluate((el) => el === document.activeElement)); presses += 1) await page.keyboard.press('Tab');
  await expect(getBatch).toBeFocused();
  // A visible focus ring: the button's box shadow changes when it has keyboard focus.
  expect(await getBatch.evaluate((el) => getComputedStyle(el).boxShadow)).not.toBe('none');
  await page.keyboard.press('Enter');
  const row = batchRow(page, batches[0]!);
  await expect(row).toHaveAttribute('data-status', 'ready');
  const link = row.getByRole('link');
  for (let presses = 0; presses < 10 && !(await link.evaluate((el) => el === document.activeElement)); presses += 1) await page.keyboard.press('Tab');
  await expect(link).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Open in Prodigy' })).toBeFocused();
});

test('the row shows the download while a batch arrives', async ({ page, ferry }) => {
  const s3 = plainS3(ferry.s3Endpoint);
  const bucket = await ferry.createBucket();
  const images = Array.from({ length: 3 }, (_, i) => ({ id: `photo-${i + 1}`, image: `s3://${bucket}/raw/photo-${i + 1}.jpg` }));
  for (const [i] of images.entries()) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `raw/photo-${i + 1}.jpg`, Body: Buffer.alloc(256 * 1024, i + 1), ChecksumAlgorithm: 'SHA256' }));
  }
  const { batches } = await seedProject(s3, bucket, ferry.dir, { count: 1, size: 3, pool: images, project: { recipe: 'image.manual', labels: ['DEFECT'] } });
  s3.destroy();
  // A slow link, made deterministic: the last photo's download waits until the screenshot is taken.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const proxy = await startFaultProxy(ferry.s3Endpoint, { rules: [{ match: { kinds: ['get-object'], keyIncludes: 'raw/photo-3' }, action: { kind: 'hold', until: held } }] });
  try {
    await ferry.saveConfig({ ...ferry.workspaceFor(bucket), endpoint: proxy.endpoint, prodigyCommand: STANDIN_COMMAND });
    await page.goto(`${ferry.origin}/`);
    await page.getByRole('button', { name: 'Get my batch' }).click();
    const row = batchRow(page, batches[0]!);
    await expect(row).toHaveAttribute('data-status', 'pulling');
    await expect(row.getByTestId('status-pill')).toHaveText('Downloading');
    await expect(row.getByTestId('pull-text')).toContainText(/of 4 files · .* of 7\d\d KB/);
    await expect(page.getByRole('button', { name: 'Getting your batch…' })).toBeDisabled();
    await screenshotScreen(page, 'my-batches-pulling');
    release();
    await expect(row).toHaveAttribute('data-status', 'ready');
    await expect(row).toContainText('0 / 3');
  } finally {
    release();
    await proxy.stop();
  }
});

test('offline: a submit waits in the outbox, the status bar says offline, and Sync now publishes once S3 is back', async ({ page, context, ferry }) => {
  test.setTimeout(150_000);
  const s3 = plainS3(ferry.s3Endpoint);
  const bucket = await ferry.createBucket();
  const { batches, tasksPerBatch } = await seedProject(s3, bucket, ferry.dir, { count: 1 });
  const link = await startFaultProxy(ferry.s3Endpoint);
  let linkUp = true;
  try {
    await ferry.saveConfig({ ...ferry.workspaceFor(bucket), endpoint: link.endpoint, prodigyCommand: STANDIN_COMMAND });
    await page.goto(`${ferry.origin}/`);
    await page.getByRole('button', { name: 'Get my batch' }).click();
    await batchRow(page, batches[0]!).getByRole('link').click();
    const { tab } = await openProdigyTab(page, context);
    await answerInProdigy(tab, ['accept', 'ignore']);
    await page.bringToFront();
    await expect(page.getByTestId('answer-meter')).toHaveText(`2 / ${tasksPerBatch} tasks answered`, { timeout: 30_000 });
    await page.getByRole('button', { name: 'Stop Prodigy' }).click();
    await expect(page.getByRole('button', { name: 'Open in Prodigy' })).toBeEnabled();
    await expect(page.getByTestId('status-pill')).toHaveText('Ready');

    // The train enters a tunnel: nothing answers on the S3 endpoint any more.
    await link.stop();
    linkUp = false;
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Submit anyway' }).click();
    const queued = page.getByTestId('submit-queued');
    await expect(queued).toContainText('queued for upload', { timeout: 60_000 });
    await expect(queued).toContainText('Ferry will publish it when S3 can be reached.');
    await expect(page.getByTestId('status-pill')).toHaveText('Submitting');
    await expect(page.getByTestId('sync-state')).toContainText(/^Sync: offline · 2 answers waiting/);
    await screenshotScreen(page, 'status-bar-offline');

    // Out of the tunnel: S3 answers again (the workspace points straight at it now), and Sync now publishes.
    await ferry.saveConfig({ ...ferry.workspaceFor(bucket), prodigyCommand: STANDIN_COMMAND });
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByTestId('status-pill')).toHaveText('Submitted', { timeout: 30_000 });
    await expect(page.getByTestId('sync-state')).toHaveText('Sync: up to date');
    await expect(page.getByTestId('last-sync')).toHaveText('Last sync just now');
    const marker = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `projects/${PROJECT}/submissions/${REGION}/${batches[0]}/${ANNOTATOR}.json` }));
    expect(JSON.parse(await marker.Body!.transformToString())).toMatchObject({ answers: { total: 2, accept: 1, ignore: 1 } });
  } finally {
    if (linkUp) await link.stop();
    s3.destroy();
  }
});
