/**
 * Runs in an Electron utilityProcess: owns the database and every piece of engine work (SQLite
 * writes, search, ONNX), so the window's main process only relays messages and never blocks.
 * Messages: {id, method, input} in, {id, result} out; contract events go out as {event, payload}.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Engine } from '../engine/engine';
import { setWorkerEntries } from '../engine/worker-entries';

interface ParentPort {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const port = (process as unknown as { parentPort: ParentPort }).parentPort;
const dbPath = process.env.METACOT_DB;
if (!dbPath) throw new Error('engine host started without METACOT_DB');

// Bundled beside this file by electron-vite (see electron.vite.config.ts).
setWorkerEntries({
  search: pathToFileURL(path.join(__dirname, 'search-worker.js')),
  writer: pathToFileURL(path.join(__dirname, 'writer-thread.js')),
});
const engine = Engine.open(dbPath, { switchable: true });
engine.events.subscribe((event, payload) => port.postMessage({ event, payload }));

port.on('message', ({ data }) => {
  const { id, method, input } = data as { id: number; method: string; input: unknown };
  void engine.call(method, input).then((result) => port.postMessage({ id, result }));
});
