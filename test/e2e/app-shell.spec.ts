// The shell around the screens: navigation, the status bar's live state, and the web host's token in a real browser.
import { expect, screenshotScreen, test } from './fixtures.ts';

test('My batches shows an empty state whose button waits for a configured workspace', async ({ page }) => {
  await page.getByRole('link', { name: 'My batches' }).click();
  await expect(page).toHaveURL(/#\/my-batches$/);
  await expect(page.getByRole('link', { name: 'My batches' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { name: 'No batches yet' })).toBeVisible();
  const getBatch = page.getByRole('button', { name: 'Get my batch' });
  await expect(getBatch).toBeDisabled();
  await expect(getBatch).toHaveAccessibleDescription(/workspace must be configured first/);
  await screenshotScreen(page, 'my-batches-empty');
  await page.getByRole('region', { name: 'My batches' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: "Connect Ferry to your team's bucket" })).toBeVisible();
});

test('a configured workspace opens on My batches and shows annotator@region', async ({ page, ferry }) => {
  await ferry.saveConfig(ferry.workspaceFor(await ferry.createBucket()));
  await page.goto(`${ferry.origin}/`);
  await expect(page).toHaveURL(/#\/my-batches$/);
  await expect(page.getByText('maria.k@emea')).toBeVisible();
});

test('the status bar follows sync events and the connection to the core', async ({ page, ferry }) => {
  await expect(page.getByText('Sync: unknown')).toBeVisible();
  ferry.core.context.emit('sync', { state: 'syncing', pending: 4, failed: 0, lastSyncAt: null, nextRetryAt: null });
  await expect(page.getByText('Sync: syncing · 4 pending')).toBeVisible();
  ferry.allowConsoleErrors(/net::ERR_CONNECTION_(RESET|REFUSED)/); // the host restarts on purpose
  await ferry.restartHost({
    async whileDown() {
      await expect(page.getByRole('status').filter({ hasText: 'Disconnected' })).toBeVisible();
    },
  });
  await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
  // Events and commands flow again over the new connection.
  ferry.core.context.emit('sync', { state: 'online', pending: 0, failed: 0, lastSyncAt: new Date().toISOString(), nextRetryAt: null });
  await expect(page.getByText('Sync: up to date')).toBeVisible();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Not saved' })).toBeVisible();
});

test('the browser gets 401 without the token, and 401 with a wrong one', async ({ browser, ferry }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const bare = await page.goto(`${ferry.origin}/`);
    expect(bare?.status()).toBe(401);
    await expect(page.locator('body')).toContainText('needs the token');
    const wrong = await page.goto(`${ferry.origin}/?token=${'A'.repeat(43)}`);
    expect(wrong?.status()).toBe(401);
    await expect(page.locator('body')).toContainText('not the one');
  } finally {
    await context.close();
  }
});

test('a page whose token the restarted host no longer accepts says so instead of retrying forever', async ({ page, ferry }) => {
  await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
  // The host restarts on purpose: a request in flight at that moment may be reset or refused, as in real life.
  ferry.allowConsoleErrors(/WebSocket connection to .* failed|status of 401|net::ERR_CONNECTION_(RESET|REFUSED)/);
  await ferry.restartHost({ newToken: true });
  await expect(page.getByRole('status').filter({ hasText: 'This link has expired' })).toBeVisible();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Not saved' })).toContainText('new private link');
  // The new link works in the same tab.
  await page.goto(ferry.host.url);
  await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();
});
