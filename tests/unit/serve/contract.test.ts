/** The contract behaves the same over both transports: typed errors, never a crash. */
import path from 'node:path';
import { expect, test } from 'vitest';
import { ipcChannel } from '../../../common/bridge';
import { METHOD_NAMES, type ApiResult } from '../../../common/contract';
import { makeIpcHandlers } from '../../../main/electron/ipc';
import { APP_ORIGIN } from '../../../main/electron/window-options';
import { useSeededServe } from '../../helpers/serve';

const t = useSeededServe('metacot-contract-');

const post = async (method: string, body: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${t.server.url}api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as ApiResult<unknown> };
};

const ipc = makeIpcHandlers((method, input) => t.engine.call(method, input));
const invoke = (method: string, input: unknown, frameUrl = `${APP_ORIGIN}/index.html`) =>
  ipc.get(ipcChannel(method as never))!({ senderFrame: { url: frameUrl } as never }, input);

test('every contract method is reachable over HTTP and IPC', async () => {
  expect([...ipc.keys()]).toHaveLength(METHOD_NAMES.length);
  const http = await post('getTree', { runId: t.seeded.runId });
  expect(http.status).toBe(200);
  const viaIpc = await invoke('getTree', { runId: t.seeded.runId });
  expect(viaIpc).toEqual(http.body);
  expect(viaIpc.ok && (viaIpc.value as { nodes: unknown[] }).nodes).toHaveLength(8);
});

test('invalid input is a 400 over HTTP and the same typed error over IPC, naming the field', async () => {
  const bad = { nodeId: t.seeded.ids[1], annotator: 'ann', rating: 7 };
  const http = await post('setLabel', bad);
  expect(http.status).toBe(400);
  expect(http.body).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  const viaIpc = await invoke('setLabel', bad);
  expect(viaIpc).toEqual(http.body);
  if (!viaIpc.ok) {
    expect(viaIpc.error.message).toMatch(/^Invalid input to setLabel: rating:/);
    expect(viaIpc.error.issues?.[0]?.path).toBe('rating');
  }
  expect(t.seeded.store.annotations.forRun(t.seeded.runId).annotations).toEqual([]);
});

test('missing records are 404 / not_found; unknown methods and bad JSON are refused', async () => {
  expect(await post('getTree', { runId: 424242 })).toMatchObject({
    status: 404,
    body: { ok: false, error: { code: 'not_found', message: 'Run 424242 not found' } },
  });
  expect((await invoke('getTree', { runId: 424242 })).ok).toBe(false);
  expect((await post('dropDatabase', {})).status).toBe(404);
  const notJson = await post('listRuns', '{"limit": ');
  expect(notJson.status).toBe(400);
  expect(notJson.body).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  const getRes = await fetch(`${t.server.url}api/listRuns`);
  expect(getRes.status).toBe(405);
});

test('IPC from a frame that is not the app is refused', async () => {
  const result = await invoke('listRuns', {}, 'https://evil.example/');
  expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
});

test('a label written over HTTP reaches event subscribers and the database', async () => {
  const seen: string[] = [];
  const unsubscribe = t.engine.events.subscribe((name) => seen.push(name));
  const res = await post('setLabel', { nodeId: t.seeded.ids[2], annotator: 'ann', rating: 1 });
  unsubscribe();
  expect(res.status).toBe(200);
  expect(seen).toEqual(['annotationsChanged']);
  expect(t.seeded.store.annotations.forRun(t.seeded.runId).annotations[0]).toMatchObject({ rating: 1, annotator: 'ann' });
});

test('server-sent events stream annotation changes to browsers', async () => {
  const controller = new AbortController();
  const res = await fetch(`${t.server.url}api/events`, { signal: controller.signal });
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  const reader = res.body!.getReader();
  await reader.read(); // ": connected"
  await post('setPruned', { nodeId: t.seeded.ids[3], annotator: 'ann', pruned: true });
  const { value } = await reader.read();
  const text = new TextDecoder().decode(value);
  expect(text).toContain('event: annotationsChanged');
  expect(text).toContain(`"pruned":[{"nodeId":${t.seeded.ids[3]},"pruned":true}]`);
  controller.abort();
});
