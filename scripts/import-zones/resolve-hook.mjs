/** Module resolve hook (see ./register.mjs): dependency-cruiser's "@swc/core" becomes ./swc-tsx.mjs. */
const SHIM = new URL('./swc-tsx.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === '@swc/core' && context.parentURL?.includes('/dependency-cruiser/')) {
    return { url: SHIM, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
