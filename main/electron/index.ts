/**
 * The Electron main process: a hardened window, the app:// protocol serving the renderer, and
 * IPC handlers that validate the sender and relay each contract call to the engine host
 * (a utilityProcess). Thin by design: everything behind it is tested through the engine and serve.
 */
import { app, BrowserWindow, ipcMain, net, protocol, session, shell, utilityProcess } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { IPC_EVENT_CHANNEL } from '../../common/bridge';
import type { ApiResult } from '../../common/contract';
import { makeIpcHandlers, type EngineCall } from './ipc';
import { CONTENT_SECURITY_POLICY, resolveStaticPath } from '../engine/serve/static';
import { defaultDbPath } from '../engine/workspace';
import { APP_ORIGIN, APP_SCHEME, isAppUrl, isSafeExternalUrl, windowOptions } from './window-options';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererDir = path.join(__dirname, '../renderer');
const dbPath = process.env.METACOT_DB ?? defaultDbPath();

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

function startEngineHost() {
  const child = utilityProcess.fork(path.join(__dirname, 'engine-host.js'), [], {
    serviceName: 'metacot-engine',
    env: {
      ...process.env,
      METACOT_DB: dbPath,
      METACOT_APP_ROOT: app.getAppPath(),
      // Packaged: models live unpacked beside the asar so onnxruntime can open them by path.
      METACOT_RESOURCES_DIR: path.join(app.getAppPath().replace(/app\.asar$/, 'app.asar.unpacked'), 'resources'),
    },
  });
  const pending = new Map<number, (result: ApiResult<unknown>) => void>();
  let nextId = 1;
  child.on('message', (message: { id?: number; result?: ApiResult<unknown>; event?: string; payload?: unknown }) => {
    if (message.event) {
      for (const win of BrowserWindow.getAllWindows()) win.webContents.send(IPC_EVENT_CHANNEL, message.event, message.payload);
    } else if (message.id !== undefined && message.result) {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    }
  });
  child.on('exit', (code) => {
    for (const resolve of pending.values()) {
      resolve({ ok: false, error: { code: 'unavailable', message: `The engine stopped (exit code ${code}).` } });
    }
    pending.clear();
  });
  return (method: string, input: unknown) =>
    new Promise<ApiResult<unknown>>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      child.postMessage({ id, method, input });
    });
}

function registerIpc(call: EngineCall): void {
  for (const [channel, handler] of makeIpcHandlers(call, devServerUrl)) ipcMain.handle(channel, handler);
}

function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = resolveStaticPath(rendererDir, url.pathname === '/' ? '/index.html' : url.pathname);
    if (!file || !fs.existsSync(file)) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('content-security-policy', CONTENT_SECURITY_POLICY);
    return new Response(response.body, { status: response.status, headers });
  });
}

function harden(win: BrowserWindow): void {
  const contents = win.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, devServerUrl)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

async function createWindow(): Promise<void> {
  const win = new BrowserWindow(windowOptions(path.join(__dirname, '../preload/index.cjs')));
  harden(win);
  win.once('ready-to-show', () => win.show());
  await (devServerUrl ? win.loadURL(devServerUrl) : win.loadURL(`${APP_ORIGIN}/index.html`));
}

void app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  serveRenderer();
  registerIpc(startEngineHost());
  await createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
