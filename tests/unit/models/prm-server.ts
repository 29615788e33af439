/**
 * A stand-in for a served PRM and an LLM judge on 127.0.0.1 (ephemeral port), speaking the
 * documented shapes: GET /v1/models; vLLM's POST /pooling (chat `messages` or raw `input`; one
 * [p_wrong, p_right] pair per step separator, as vLLM's STEP pooler answers for Qwen2.5-Math-PRM);
 * and POST /v1/chat/completions answering ProcessBench's critique prompt with `\boxed{index}`.
 * Its verdicts are a rule, not a model: a step whose text contains "wrong" is wrong. It can fail,
 * stall or answer nonsense on purpose.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PrmServer {
  url: string;
  hits: { models: number; pooling: number; chat: number };
  lastBody: Record<string, unknown> | null;
  /** The Authorization header of the last request, if any. */
  lastAuthorization: string | undefined;
  /** The next this-many requests get HTTP 503. */
  failNext: number;
  /** The next this-many requests are never answered. */
  stallNext: number;
  /** The next pooling answer has one score too few; the next chat answer names no step. */
  badNext: number;
  /** The contents of the next chat answer's choices, one per sampled critique, instead of the rule's. */
  critiquesNext: string[] | null;
  close(): Promise<void>;
}

const P_RIGHT = 0.9;
const P_WRONG = 0.2;

function solutionOf(body: Record<string, unknown>): string {
  if (typeof body.input === 'string') return body.input;
  const messages = body.messages as { role: string; content: string }[];
  return messages.find((m) => m.role === 'assistant')?.content ?? '';
}

function pooling(body: Record<string, unknown>, separator: string, bad: boolean) {
  const steps = solutionOf(body).split(separator).slice(0, -1);
  const data = steps.map((s) => {
    const right = s.includes('wrong') ? P_WRONG : P_RIGHT;
    return [1 - right, right];
  });
  if (bad) data.pop();
  return { id: 'pool-1', object: 'list', created: 0, model: body.model, data: [{ index: 0, object: 'pooling', data }], usage: {} };
}

function critique(body: Record<string, unknown>, bad: boolean, given: string[] | null) {
  const prompt = (body.messages as { content: string }[])[0]!.content;
  const paragraphs = [...prompt.matchAll(/<paragraph_(\d+)>\n([\s\S]*?)\n<\/paragraph_\1>/g)];
  const wrong = paragraphs.find((m) => m[2]!.includes('wrong'));
  const content = bad ? 'I cannot decide.' : `Let me check each paragraph.\n\nThe answer is \\boxed{${wrong ? wrong[1] : -1}}.`;
  const contents = given ?? Array.from({ length: typeof body.n === 'number' ? body.n : 1 }, () => content);
  const choices = contents.map((c, index) => ({ index, message: { role: 'assistant', content: c }, finish_reason: 'stop' }));
  return { id: 'chat-1', object: 'chat.completion', model: body.model, choices };
}

/** Starts the stand-in; `separator` is where the served PRM pools (`<extra_0>` for Qwen2.5-Math-PRM). */
export async function startPrmServer(separator = '<extra_0>'): Promise<PrmServer> {
  const sockets = new Set<import('node:net').Socket>();
  const controls: PrmServer = {
    url: '',
    hits: { models: 0, pooling: 0, chat: 0 },
    lastBody: null,
    lastAuthorization: undefined,
    failNext: 0,
    stallNext: 0,
    badNext: 0,
    critiquesNext: null,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      controls.lastAuthorization = req.headers.authorization;
      if (controls.stallNext > 0) {
        controls.stallNext--;
        return; // never answered: the client's timeout must end it
      }
      if (controls.failNext > 0) {
        controls.failNext--;
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error": "overloaded"}');
        return;
      }
      const send = (value: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (req.method === 'GET' && req.url === '/v1/models') {
        controls.hits.models++;
        send({ object: 'list', data: [{ id: 'stand-in-prm', object: 'model' }] });
        return;
      }
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      controls.lastBody = body;
      const bad = controls.badNext > 0;
      if (bad) controls.badNext--;
      if (req.method === 'POST' && req.url === '/pooling') {
        controls.hits.pooling++;
        send(pooling(body, separator, bad));
      } else if (req.method === 'POST' && req.url === '/v1/chat/completions') {
        controls.hits.chat++;
        send(critique(body, bad, controls.critiquesNext));
        controls.critiquesNext = null;
      } else {
        res.writeHead(404).end('not found');
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  controls.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return controls;
}
