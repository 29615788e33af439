/**
 * The tiny ONNX fixture model behind the OpenAI-compatible stand-in server
 * (tests/helpers/completion-server.ts), for a describe block.
 */
import { afterAll, beforeAll } from 'vitest';
import type { CausalLM } from '../../../main/engine/models/causal-lm';
import { startModelServer, type ServerControls } from '../../helpers/completion-server';

export { startModelServer as startCompletionServer, type ServerControls };

/**
 * Loads the tiny fixture model and serves it before the block's tests, and stops both after.
 * Read `.server` inside tests (it is set once beforeAll ran).
 */
export function useCompletionServer(fixtureDir: string): { server: ServerControls; lm: CausalLM } {
  const handle = {} as { server: ServerControls; lm: CausalLM };
  beforeAll(async () => {
    const { CausalLM: Lm } = await import('../../../main/engine/models/causal-lm');
    handle.lm = await Lm.load(fixtureDir);
    handle.server = await startModelServer(handle.lm);
  });
  afterAll(async () => {
    await handle.server?.close();
    await handle.lm?.release();
  });
  return handle;
}
