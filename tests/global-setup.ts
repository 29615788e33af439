/** Builds the renderer once before the end-to-end tests when its sources changed. */
import { ensureRendererBuilt } from '../scripts/ensure-build.mjs';

export default async function setup(): Promise<void> {
  await ensureRendererBuilt();
}
