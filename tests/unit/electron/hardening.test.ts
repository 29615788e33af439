/**
 * The Electron window cannot be launched on CI machines (no binary), so its hardening is proven
 * from the options it is created with and from the built preload and renderer bundles.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { APP_ORIGIN, isAppUrl, isSafeExternalUrl, windowOptions } from '../../../main/electron/window-options';
import { APP_ROOT } from '../../../main/engine/paths';

test('the window runs sandboxed, context-isolated, without Node', () => {
  const prefs = windowOptions('/app/preload/index.cjs').webPreferences!;
  expect(prefs).toMatchObject({
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
  });
});

test('only the app origin counts as the app; lookalikes do not', () => {
  expect(isAppUrl(`${APP_ORIGIN}/index.html`)).toBe(true);
  expect(isAppUrl('app://studio.evil/index.html')).toBe(false);
  expect(isAppUrl('app://studiox/index.html')).toBe(false);
  expect(isAppUrl('file:///etc/passwd')).toBe(false);
  expect(isAppUrl('https://example.com')).toBe(false);
  expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
  expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
  expect(isAppUrl('not a url')).toBe(false);
});

test('links leave the app only for http(s), never javascript:, file: or custom schemes', () => {
  expect(isSafeExternalUrl('https://arxiv.org/abs/2501.04682')).toBe(true);
  expect(isSafeExternalUrl('http://example.com')).toBe(true);
  for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'vbscript:x', 'data:text/html,<script>', 'smb://host/share', '']) {
    expect(isSafeExternalUrl(bad)).toBe(false);
  }
});

test('the built preload is one CommonJS file that requires only electron', () => {
  const preload = fs.readFileSync(path.join(APP_ROOT, 'out/preload/index.cjs'), 'utf8');
  const requires = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
  expect([...new Set(requires)]).toEqual(['electron']);
  expect(preload).toContain('exposeInMainWorld');
  expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/);
});

test('the built renderer carries a strict Content-Security-Policy', () => {
  const html = fs.readFileSync(path.join(APP_ROOT, 'out/renderer/index.html'), 'utf8');
  const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain('unsafe-eval');
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
});
