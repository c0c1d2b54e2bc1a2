// ferry://app/ serves only the built renderer, with the strict CSP on every answer, and refuses traversal.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { locateAppAsset, serveAppAsset } from '../../../electron/shell/app-assets.ts';
import { CONTENT_SECURITY_POLICY } from '../../../electron/shell/security-policy.ts';

const base = mkdtempSync(join(tmpdir(), 'ferry-assets-'));
const root = join(base, 'renderer');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>Ferry</title>');
writeFileSync(join(root, 'assets', 'app-1a2b.js'), 'console.log("ferry")');
writeFileSync(join(base, 'secret.txt'), 'aws_secret_access_key=nope');
mkdirSync(join(base, 'renderer-evil'));
writeFileSync(join(base, 'renderer-evil', 'x.js'), 'evil');

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('serveAppAsset', () => {
  it('serves index.html for / and assets with their content types, each with the CSP', async () => {
    const index = await serveAppAsset(root, 'ferry://app/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await index.text()).toContain('<title>Ferry</title>');
    const script = await serveAppAsset(root, 'ferry://app/assets/app-1a2b.js?v=1#x');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await script.text()).toBe('console.log("ferry")');
  });

  it('says 404 for missing files and folders, still with the CSP', async () => {
    for (const url of ['ferry://app/nope.js', 'ferry://app/assets', 'ferry://app/index.html/x']) {
      const res = await serveAppAsset(root, url);
      expect(res.status, url).toBe(404);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it.each([
    'ferry://app/../secret.txt',
    'ferry://app/%2e%2e/secret.txt',
    'ferry://app/assets/%2E%2E/%2E%2E/secret.txt',
    'ferry://app/%2e%2e%2fsecret.txt',
    'ferry://app/..%5csecret.txt',
    'ferry://app/%2e%2e/renderer-evil/x.js',
    'ferry://app/assets/%00.js',
    'ferry://app/%E0%A4%A',
    'ferry://other/index.html',
    'file:///etc/passwd',
  ])('never serves anything outside the renderer folder: %s', async (url) => {
    const res = await serveAppAsset(root, url);
    expect([400, 403, 404]).toContain(res.status);
    const body = await res.text();
    expect(body).not.toContain('aws_secret_access_key');
    expect(body).not.toContain('evil');
  });

  it('names why a path was refused', () => {
    expect(locateAppAsset(root, 'ferry://app/%2e%2e%2fsecret.txt')).toEqual({ ok: false, status: 403, reason: 'path escapes the app folder' });
    expect(locateAppAsset(root, 'ferry://other/')).toMatchObject({ ok: false, status: 403 });
    expect(locateAppAsset(root, 'ferry://app/assets/app-1a2b.js')).toEqual({ ok: true, file: join(root, 'assets', 'app-1a2b.js') });
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await serveAppAsset(root, 'ferry://app/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await serveAppAsset(root, 'ferry://app/index.html', 'POST')).status).toBe(405);
  });
});
