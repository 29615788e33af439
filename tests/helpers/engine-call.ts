/** A contract call on an in-process engine, as the app makes it: the value, or the API error thrown with its code. */
import type { Engine } from '../../main/engine/engine';

export async function callEngine(engine: Engine, method: string, input: unknown): Promise<any> {
  const r = await engine.call(method, input);
  if (!r.ok) throw Object.assign(new Error(`${r.error.code}: ${r.error.message}`), { code: r.error.code });
  return r.value;
}
