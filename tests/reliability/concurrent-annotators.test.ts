/**
 * Two annotators' browsers on one serve, labeling the same steps at once: every change lands in
 * history, the final state is the last acknowledged write, and each client's event stream sees
 * the other's changes.
 */
import { expect, test } from 'vitest';
import { Random } from '../../main/engine/tasks/random';
import { useSeededServe } from '../helpers/serve';

const t = useSeededServe('metacot-concurrent-');

/** An SSE client that collects annotationsChanged payloads. */
async function listen(): Promise<{ seen: { annotations: { nodeId: number; annotator: string; rating: number | null }[] }[]; stop(): void }> {
  const controller = new AbortController();
  const res = await fetch(`${t.server.url}api/events`, { signal: controller.signal });
  const reader = res.body!.getReader();
  const seen: { annotations: { nodeId: number; annotator: string; rating: number | null }[] }[] = [];
  let buffer = '';
  void (async () => {
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let at: number;
      while ((at = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (frame.startsWith('event: annotationsChanged') && data) seen.push(JSON.parse(data));
      }
    }
  })();
  return { seen, stop: () => controller.abort() };
}

test('simultaneous labels on the same steps: all in history, last write wins, both streams see both', async () => {
  const a = await listen();
  const b = await listen();
  const rng = new Random(7);
  const steps = t.seeded.ids.slice(1, 4);
  const last = new Map<string, number>();
  let writes = 0;
  // Both annotators fire batches of concurrent requests at the same three steps, many rounds.
  for (let round = 0; round < 15; round++) {
    const batch = ['ann', 'bob'].flatMap((annotator) =>
      steps.map(async (nodeId) => {
        const rating = rng.int(-1, 1);
        const res = await fetch(`${t.server.url}api/setLabel`, { method: 'POST', body: JSON.stringify({ nodeId, annotator, rating }) });
        expect(res.status).toBe(200);
        writes++;
        // Per (node, annotator) there is one request per round, so the round order is the write order.
        last.set(`${nodeId}/${annotator}`, rating);
      }),
    );
    // A shared step everyone touches (pruning) at the same time too.
    batch.push(
      fetch(`${t.server.url}api/setPruned`, { method: 'POST', body: JSON.stringify({ nodeId: t.seeded.ids[7], annotator: round % 2 ? 'ann' : 'bob', pruned: round % 2 === 1 }) }).then(() => {
        writes++;
      }),
    );
    await Promise.all(batch);
  }
  await new Promise((r) => setTimeout(r, 100));
  a.stop();
  b.stop();
  const history = t.seeded.store.annotations.history(t.seeded.runId, 10_000);
  expect(history.filter((h) => h.action === 'do')).toHaveLength(writes);
  const stored = new Map(t.seeded.store.annotations.forRun(t.seeded.runId).annotations.map((x) => [`${x.nodeId}/${x.annotator}`, x.rating]));
  expect(stored).toEqual(last);
  expect(t.seeded.store.nodes.get(t.seeded.ids[7]!).pruned).toBe(false); // round 14 (bob) wrote false last
  for (const client of [a, b]) {
    const annotators = new Set(client.seen.flatMap((e) => e.annotations.map((x) => x.annotator)));
    expect(annotators).toEqual(new Set(['ann', 'bob']));
    expect(client.seen.length).toBe(writes);
  }
  console.log(`reliability: ${writes} concurrent writes by 2 annotators on shared steps; all in history, last write kept, both event streams complete`);
});
