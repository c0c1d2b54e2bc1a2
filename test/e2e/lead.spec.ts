// The team lead's day in a real browser: create a project and uncertainty-ranked batches for two regions, watch two
// annotators (two workspaces, one in its own browser tab) claim and submit, check the dashboard against
// `ferry progress --json`, and free a stale claim so an annotator can take the batch again.
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import type { ProgressDetail } from '../../shared/lead.ts';
import { STANDIN_BIN } from '../prodigy-standin/harness.ts';
import { answerInProdigy, openProdigyTab, plainS3 } from './annotator-kit.ts';
import { expect, screenshotScreen, test } from './fixtures.ts';
import { answerOverRest, progressFromCli, putClaim, regionRowNumbers, startAnnotator, watchConsole, writeJsonl, type Annotator } from './lead-kit.ts';

const PROJECT = 'reviews';
const STANDIN_COMMAND = ['python3', STANDIN_BIN];
const DAY_MS = 86_400_000;

// Twelve reviews with a model's P(positive); the closer to 0.5, the sooner a batch should hold it.
const SCORES: Readonly<Record<string, number>> = {
  'rev-01': 0.95, 'rev-02': 0.51, 'rev-03': 0.1, 'rev-04': 0.48, 'rev-05': 0.5, 'rev-06': 0.8,
  'rev-07': 0.27, 'rev-08': 0.62, 'rev-09': 0.04, 'rev-10': 0.45, 'rev-11': 0.7, 'rev-12': 0.99,
};
const POOL = Object.keys(SCORES).map((id) => ({ id, text: `Customer review ${id.slice(4)}: the delivery was ${Number(id.slice(4)) % 2 ? 'late' : 'fine'}.` }));
const textOf = (id: string) => POOL.find((p) => p.id === id)!.text;

test('a lead ranks batches for two regions, sees two annotators’ work on the dashboard as the CLI does, and frees a stale claim', async ({ page, context, ferry }) => {
  test.setTimeout(240_000);
  const s3 = plainS3(ferry.s3Endpoint);
  const bucket = await ferry.createBucket();
  const annotators: Annotator[] = [];
  try {
    await ferry.saveConfig({ ...ferry.workspaceFor(bucket), annotator: 'lena', region: 'emea' });
    // Another team's project, made earlier from the command line, so the list holds more than one.
    const other = await ferry.core.dispatch('lead.project.create', { name: 'support-tickets', recipe: 'ner.manual', labels: ['PRODUCT', 'ORG', 'PERSON'], regions: ['emea', 'apac', 'amer'], batchSize: 25 });
    expect(other.ok).toBe(true);
    const poolFile = await writeJsonl(join(ferry.dir, 'reviews-pool.jsonl'), POOL);
    const scoresFile = await writeJsonl(join(ferry.dir, 'scores-round-1.jsonl'), Object.entries(SCORES).map(([id, score]) => ({ id, score })));

    // The chart and the virtual list set style properties from script; the CSP (style-src 'self') must not object.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      window.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective}: ${event.sourceFile}:${event.lineNumber}`));
    });

    // ---- Projects, and a new project with two mistakes first ----
    await page.goto(`${ferry.origin}/`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
    await expect(page.locator('tr[data-project="support-tickets"]')).toContainText('ner.manual');
    await page.getByRole('link', { name: 'New project' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'New project' })).toBeVisible();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(PROJECT);
    await page.getByRole('textbox', { name: 'Labels' }).fill('POSITIVE, NEGATIVE');
    await page.getByRole('textbox', { name: 'Regions' }).fill('emea, ap ac');
    await page.getByRole('textbox', { name: 'Batch size' }).fill('0');
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect(page.getByTestId('regions-error')).toHaveText(/"ap ac" is not a region name/);
    await expect(page.getByTestId('batchSize-error')).toHaveText('A whole number of tasks, at least 1.');
    await expect(page.getByTestId('new-project-status')).toHaveText('2 fields need attention.');
    await screenshotScreen(page, 'lead-new-project');
    await page.getByRole('textbox', { name: 'Regions' }).fill('emea, apac');
    await page.getByRole('textbox', { name: 'Batch size' }).fill('3');
    await page.getByRole('textbox', { name: 'Lease (days)' }).fill('2');
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect(page.getByTestId('project-created')).toContainText(`Project ${PROJECT} is ready`);

    // ---- Ranked batches for both regions, from a pool file and a scores file on the core's computer ----
    const create = page.getByRole('region', { name: 'Create batches' });
    for (const region of ['emea', 'apac']) {
      await create.getByRole('combobox', { name: 'Region' }).selectOption(region);
      await create.getByRole('textbox', { name: 'How many' }).fill('2');
      await create.getByRole('combobox', { name: 'Strategy' }).selectOption('uncertainty');
      await create.getByRole('textbox', { name: 'Scores file' }).fill(scoresFile);
      await create.getByRole('textbox', { name: 'Pool file' }).fill(poolFile);
      await create.getByRole('button', { name: 'Create batches' }).click();
      await expect(create.getByTestId('create-result')).toContainText(`Created 2 batches (6 tasks) for ${region} by uncertainty.`);
    }
    await expect(create.getByTestId('create-result')).toContainText('Skipped6');
    await screenshotScreen(page, 'lead-create-batches');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects' }).click();
    await expect(page.locator(`tr[data-project="${PROJECT}"]`)).toContainText('POSITIVE');
    await screenshotScreen(page, 'lead-projects');

    // ---- Two annotators: maria.k (emea) in her own Ferry tab, kenji (apac) through his core ----
    const workspace = { ...ferry.workspaceFor(bucket), prodigyCommand: STANDIN_COMMAND };
    const maria = await startAnnotator(ferry.dir, 'maria.k', { ...workspace, annotator: 'maria.k', region: 'emea' }, { web: true });
    annotators.push(maria);
    const kenji = await startAnnotator(ferry.dir, 'kenji', { ...workspace, annotator: 'kenji', region: 'apac' }, { web: false });
    annotators.push(kenji);
    const mariaPage = await context.newPage();
    const mariaProblems = watchConsole(mariaPage);
    await mariaPage.goto(maria.host!.url);
    await mariaPage.getByRole('button', { name: 'Get my batch' }).click();
    const mariaRow = mariaPage.locator('tr.batch-row[data-batch^="reviews/emea/"]');
    await expect(mariaRow).toHaveAttribute('data-status', 'ready');
    const firstEmea = (await mariaRow.getAttribute('data-batch'))!.split('/')[2]!;
    await mariaRow.getByRole('link').click();
    const { tab } = await openProdigyTab(mariaPage, context);
    const given = await answerInProdigy(tab, ['accept', 'reject', 'accept']);
    // The most uncertain three (0.50, 0.51, 0.48) make emea's first batch.
    expect(given.map((g) => g.text).sort()).toEqual(['rev-05', 'rev-02', 'rev-04'].map(textOf).sort());
    await tab.close();
    await mariaPage.bringToFront();
    await expect(mariaPage.getByTestId('answer-meter')).toHaveText('3 / 3 tasks answered', { timeout: 30_000 });
    await mariaPage.getByRole('button', { name: 'Submit', exact: true }).click();
    await expect(mariaPage.getByTestId('status-pill')).toHaveText('Submitted', { timeout: 30_000 });

    const kenjiBatch = await kenji.call('batches.claimNext', {});
    await answerOverRest(await kenji.call('batches.open', { id: kenjiBatch.id }), `${PROJECT}-kenji`, ['accept', 'ignore']);
    expect((await kenji.call('batches.submit', { id: kenjiBatch.id })).state).toBe('submitted');

    // ---- A stale claim: olaf took emea's other batch ten days ago and has not been heard from ----
    const seeded = await ferry.core.dispatch('lead.progress', { project: PROJECT, region: 'emea' });
    if (!seeded.ok) throw new Error(seeded.error.message);
    const staleBatch = (seeded.value as ProgressDetail).batches.find((b) => b.status === 'unclaimed')!.batch;
    const now = Date.now();
    await putClaim(s3, bucket, { project: PROJECT, region: 'emea', batch: staleBatch, annotator: 'olaf', claimedAt: new Date(now - 10 * DAY_MS), leaseUntil: new Date(now - 8 * DAY_MS) });

    // ---- The dashboard ----
    await page.locator(`tr[data-project="${PROJECT}"]`).getByRole('link').click();
    await expect(page.getByRole('heading', { level: 1, name: PROJECT })).toBeVisible();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByTestId('updated-ago')).toHaveText(/^Updated (just now|\d+ s ago)$/);
    await expect(page.getByTestId('tile-stale')).toContainText('1');
    const expected = {
      emea: { 'batches-unclaimed': 0, 'batches-claimed': 1, 'batches-submitted': 1, 'batches-in_review': 0, 'batches-accepted': 0, 'batches-rework': 0, 'answers-accept': 2, 'answers-reject': 1, 'answers-ignore': 0, stale: 1 },
      apac: { 'batches-unclaimed': 1, 'batches-claimed': 0, 'batches-submitted': 1, 'batches-in_review': 0, 'batches-accepted': 0, 'batches-rework': 0, 'answers-accept': 1, 'answers-reject': 0, 'answers-ignore': 1, stale: 0 },
    };
    for (const [region, numbers] of Object.entries(expected)) expect(await regionRowNumbers(page, region)).toEqual(numbers);
    // The chart has today's five answers, split as given.
    const chart = page.getByTestId('answers-chart');
    await expect(chart.getByTestId('answers-today')).toHaveText('5');
    const today = new Date().toISOString().slice(0, 10);
    await expect(chart.locator(`tr[data-day="${today}"] td`)).toHaveText(['3', '1', '1']);
    await expect(chart.locator('.chart-bar-accept .recharts-rectangle')).toHaveCount(1);
    await expect(page.getByTestId('stale-claims').locator(`tr[data-batch="emea/${staleBatch}"]`)).toContainText('olaf');
    const everyone = page.getByRole('table', { name: 'Annotators', exact: true });
    await expect(everyone.locator('tr[data-annotator]')).toHaveText([/^maria\.kemea/, /^olafemea/, /^kenjiapac/]);

    // `ferry progress --json`, a separate process on the lead's workspace, reports the same numbers.
    const cli = await progressFromCli(ferry.configPath, PROJECT);
    for (const r of cli.regions) {
      const b = r.batches;
      expect(await regionRowNumbers(page, r.region)).toEqual({
        'batches-unclaimed': b.unclaimed, 'batches-claimed': b.claimed, 'batches-submitted': b.submitted, 'batches-in_review': b.in_review, 'batches-accepted': b.accepted, 'batches-rework': b.rework,
        'answers-accept': r.answers.accept, 'answers-reject': r.answers.reject, 'answers-ignore': r.answers.ignore, stale: r.staleClaims.length,
      });
    }
    expect(cli.regions.map((r) => r.region).sort()).toEqual(['apac', 'emea']);
    expect(cli.regions.find((r) => r.region === 'emea')!.annotators.map((a) => a.name)).toEqual(['maria.k', 'olaf']);
    expect(cli.answersPerDay).toEqual([{ day: today, accept: 3, reject: 1, ignore: 1, total: 5 }]);
    await screenshotScreen(page, 'lead-dashboard');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshotScreen(page, 'lead-dashboard-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // ---- Drill down: region → annotator → batch ----
    await page.locator('tr.region-row[data-region="emea"]').getByRole('link').click();
    await expect(page.getByRole('heading', { level: 1, name: 'emea' })).toBeVisible();
    const people = page.getByRole('table', { name: 'Annotators in emea' });
    await expect(people.locator('tr[data-annotator]')).toHaveCount(2);
    await people.getByRole('link', { name: 'maria.k' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'maria.k' })).toBeVisible();
    const list = page.getByTestId('batch-list');
    await expect(list).toHaveAttribute('data-count', '1');
    await list.locator(`li[data-batch="${firstEmea}"] a`).click();
    const detail = page.getByTestId('batch-detail');
    await expect(detail).toHaveAttribute('data-batch', firstEmea);
    await expect(detail).toContainText('Submitted by');
    await expect(detail.locator('.detail-answers dd')).toHaveText(['2', '1', '0']);
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'emea' }).click();
    await expect(list).toHaveAttribute('data-count', '2');
    await list.locator(`li[data-batch="${staleBatch}"] a`).click();
    await expect(detail.getByTestId('detail-stale')).toContainText('Lease expired');
    await screenshotScreen(page, 'lead-region-drilldown');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshotScreen(page, 'lead-region-drilldown-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // ---- Release: first refused, because olaf's app renewed the claim a moment ago ----
    await detail.getByRole('button', { name: `Release ${staleBatch}` }).click();
    const dialog = page.getByRole('dialog', { name: `Release batch ${staleBatch}?` });
    await expect(dialog).toBeVisible();
    await screenshotScreen(page, 'lead-stale-claim');
    const renewed = new Date();
    await putClaim(s3, bucket, { project: PROJECT, region: 'emea', batch: staleBatch, annotator: 'olaf', claimedAt: new Date(now - 10 * DAY_MS), leaseUntil: new Date(renewed.getTime() + 2 * DAY_MS), renewedAt: renewed });
    await dialog.getByRole('button', { name: 'Release', exact: true }).click();
    await expect(dialog).toBeHidden();
    const refusal = page.getByTestId('claim-error');
    await expect(refusal).toContainText(`olaf holds batch ${staleBatch} and the claim is not stale: they renewed it`);
    await screenshotScreen(page, 'lead-claim-refused');
    await expect(page.getByTestId('batch-detail')).not.toContainText('This claim is stale');

    // ---- …then olaf goes quiet again, and the release goes through ----
    await putClaim(s3, bucket, { project: PROJECT, region: 'emea', batch: staleBatch, annotator: 'olaf', claimedAt: new Date(now - 10 * DAY_MS), leaseUntil: new Date(now - DAY_MS) });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(detail.getByTestId('detail-stale')).toBeVisible();
    await refusal.getByRole('button', { name: 'Dismiss' }).click();
    await detail.getByRole('button', { name: `Release ${staleBatch}` }).click();
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('olaf moved to another team');
    await dialog.getByRole('button', { name: 'Release', exact: true }).click();
    await expect(page.getByTestId('claim-done')).toContainText(`Released batch ${staleBatch}`);
    await expect(detail.getByTestId('batch-state')).toHaveText('Unclaimed');
    const records = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `projects/${PROJECT}/releases/emea/${staleBatch}/` }));
    expect(records.Contents ?? []).toHaveLength(1);

    // ---- maria.k takes it next, and the lead sees her holding it ----
    await mariaPage.bringToFront();
    await mariaPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My batches' }).click();
    await mariaPage.getByRole('button', { name: 'Get my batch' }).click();
    await expect(mariaPage.locator(`tr.batch-row[data-batch="${PROJECT}/emea/${staleBatch}"]`)).toHaveAttribute('data-status', 'ready');
    await page.bringToFront();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(detail).toContainText('Claimed bymaria.k');
    await expect(detail.getByTestId('batch-state')).toHaveText('Claimed');
    expect(mariaProblems, 'maria’s tab logged errors').toEqual([]);
    // (zod probes for eval support once, which CSP reports as script-src; that probe is caught and harmless.)
    const violations = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
    expect(violations.filter((v) => v.startsWith('style-src'))).toEqual([]);
  } finally {
    for (const a of annotators) await a.close();
    s3.destroy();
  }
});

test('empty screens say what to do next; a rule without its input and a bad scores file are explained at the field; a stale claim is reassigned', async ({ page, ferry }) => {
  test.setTimeout(120_000);
  const s3 = plainS3(ferry.s3Endpoint);
  const bucket = await ferry.createBucket();
  try {
    await ferry.saveConfig({ ...ferry.workspaceFor(bucket), annotator: 'lena', region: 'emea' });
    await page.goto(`${ferry.origin}/`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects' }).click();
    await expect(page.getByTestId('projects-empty')).toContainText('No projects yet');
    await screenshotScreen(page, 'lead-projects-empty');

    expect((await ferry.core.dispatch('lead.project.create', { name: PROJECT, recipe: 'textcat.manual', labels: ['POSITIVE', 'NEGATIVE'], regions: ['emea', 'apac'], batchSize: 3 })).ok).toBe(true);
    await page.reload();
    await page.getByRole('link', { name: PROJECT }).click();
    await expect(page.getByTestId('dashboard-empty')).toContainText('No batches yet');
    await screenshotScreen(page, 'lead-dashboard-empty');
    await page.getByTestId('dashboard-empty').getByRole('link', { name: 'Create batches' }).click();

    const create = page.getByRole('region', { name: 'Create batches' });
    const poolFile = await writeJsonl(join(ferry.dir, 'pool.jsonl'), POOL);
    await create.getByRole('textbox', { name: 'Pool file' }).fill(poolFile);
    await create.getByRole('combobox', { name: 'Strategy' }).selectOption('random');
    await create.getByRole('button', { name: 'Create batches' }).click();
    await expect(create.getByTestId('cb-seed-error')).toHaveText('Give a seed (any word or number), so the same order can be made again.');

    // Three kinds of bad line, each counted and named by the core, shown under the scores field.
    const badScores = await writeJsonl(join(ferry.dir, 'bad-scores.jsonl'), [{ id: 'rev-01', score: 0.4 }, { id: 'rev-99', score: 0.5 }, { id: 'rev-02', score: 1.7 }, { id: 'rev-01', score: 0.6 }]);
    await create.getByRole('combobox', { name: 'Strategy' }).selectOption('uncertainty');
    await create.getByRole('textbox', { name: 'Scores file' }).fill(badScores);
    await create.getByRole('button', { name: 'Create batches' }).click();
    const scoresError = create.getByTestId('cb-scores-error');
    await expect(scoresError).toContainText(`The scores file ${badScores} has`);
    await expect(scoresError).toContainText('"rev-99"');
    await expect(scoresError).toContainText('no batch was created');
    await screenshotScreen(page, 'lead-create-batches-error');
    await create.getByRole('checkbox', { name: 'Skip bad score lines' }).check();
    await create.getByRole('textbox', { name: 'How many' }).fill('1');
    await create.getByRole('button', { name: 'Create batches' }).click();
    // Only rev-01 keeps a usable score; the rest of the pool stays unranked, and the skipped lines are named.
    const result = create.getByTestId('create-result');
    await expect(result).toContainText('Created 1 batch (1 task) for emea by uncertainty.');
    await expect(result).toContainText('Unscored11');
    await expect(result.getByTestId('result-notes')).toContainText('score 1.7 is outside 0–1');

    // A stale claim, reassigned from the dashboard to someone else in the region.
    const progress = await ferry.core.dispatch('lead.progress', { project: PROJECT, region: 'emea' });
    if (!progress.ok) throw new Error(progress.error.message);
    const batch = (progress.value as ProgressDetail).batches[0]!.batch;
    const now = Date.now();
    await putClaim(s3, bucket, { project: PROJECT, region: 'emea', batch, annotator: 'olaf', claimedAt: new Date(now - 9 * DAY_MS), leaseUntil: new Date(now - 2 * DAY_MS) });
    await page.getByRole('link', { name: 'Progress' }).click();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByRole('button', { name: `Reassign ${batch} to…` }).click();
    const dialog = page.getByRole('dialog', { name: `Reassign batch ${batch}` });
    await dialog.getByRole('button', { name: 'Reassign', exact: true }).click();
    await expect(dialog).toContainText('Name the annotator who gets the batch.');
    await dialog.getByRole('combobox', { name: 'Give it to' }).fill('maria.k');
    await dialog.getByRole('button', { name: 'Reassign', exact: true }).click();
    await expect(page.getByTestId('claim-done')).toContainText(`Reassigned batch ${batch} to maria.k`);
    await expect(page.getByTestId('no-stale')).toBeVisible();
    const claim = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `projects/${PROJECT}/claims/emea/${batch}.json` }))).Body!.transformToString()) as { annotator: string; leaseUntil: string };
    expect(claim.annotator).toBe('maria.k');
    expect(Date.parse(claim.leaseUntil)).toBeGreaterThan(Date.now());
  } finally {
    s3.destroy();
  }
});

test('a region with hundreds of batches keeps only the rows in view in the page, and finds one by its id', async ({ page, ferry }) => {
  test.setTimeout(180_000);
  const bucket = await ferry.createBucket();
  await ferry.saveConfig({ ...ferry.workspaceFor(bucket), annotator: 'lena', region: 'emea' });
  expect((await ferry.core.dispatch('lead.project.create', { name: 'photos', recipe: 'textcat.manual', labels: ['DEFECT'], regions: ['emea'], batchSize: 1 })).ok).toBe(true);
  const pool = await writeJsonl(join(ferry.dir, 'many.jsonl'), Array.from({ length: 400 }, (_, i) => ({ id: `item-${i}`, text: `Photo caption ${i}` })));
  const created = await ferry.core.dispatch('lead.batches.create', { project: 'photos', region: 'emea', poolFile: pool });
  if (!created.ok) throw new Error(created.error.message);
  const batches = (created.value as { created: { batch: string }[] }).created.map((b) => b.batch);
  expect(batches).toHaveLength(400);

  await page.goto(`${ferry.origin}/`);
  await page.evaluate(() => (window.location.hash = '#/lead/projects/photos/regions/emea'));
  const list = page.getByTestId('batch-list');
  await expect(list).toHaveAttribute('data-count', '400');
  const rows = list.locator('li.vlist-row');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeLessThan(40);
  await list.locator('.vlist-scroll').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(list.locator(`li[data-batch="${batches[399]}"]`)).toBeVisible();
  expect(await rows.count()).toBeLessThan(40);
  await page.getByRole('searchbox', { name: 'Find a batch' }).fill(batches[123]!);
  await expect(list).toHaveAttribute('data-count', '1');
  await list.locator(`li[data-batch="${batches[123]}"] a`).click();
  await expect(page.getByTestId('batch-detail')).toHaveAttribute('data-batch', batches[123]!);
});
