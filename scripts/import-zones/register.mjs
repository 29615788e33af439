/**
 * Preloaded (node --import) by `npm run check:imports`: dependency-cruiser 17 parses TypeScript with
 * @swc/core but never turns on TSX, so it cannot read renderer/*.tsx (and TypeScript 7, which
 * `tsc -b` uses, ships no compiler API for its other parser). This points dependency-cruiser's
 * import of @swc/core at ./swc-tsx.mjs, which parses .tsx files with TSX on.
 */
import { register } from 'node:module';

register('./resolve-hook.mjs', import.meta.url);
