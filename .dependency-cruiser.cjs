/**
 * Import zones of Meta-CoT Studio, checked by `npm run check:imports` and, through
 * tests/unit/architecture.test.ts, by `npm test`.
 * main/engine/README.md explains each zone; a rule here and a line there change together.
 */
const ENGINE = '^main/engine/';
/** The electron package, resolved or not. */
const ELECTRON = '^electron$|(^|/)node_modules/electron/';
/** Engine modules with a feature of their own; the store, the base layer, imports none of them. */
const FEATURES = ['search', 'models', 'providers', 'export', 'labels', 'eval', 'import', 'longcot', 'api', 'serve', 'cli', 'sample'];

module.exports = {
  forbidden: [
    {
      name: 'common-is-shared',
      comment: 'common/ (the contract and domain types) is read by every side, so it imports none of them, nor Electron.',
      severity: 'error',
      from: { path: '^common/' },
      to: { path: `^(main|preload|renderer)/|${ELECTRON}` },
    },
    {
      name: 'renderer-talks-only-to-the-contract',
      comment: 'The renderer runs in a sandboxed page: it reaches the engine only through common/contract, never Electron.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: `^(main|preload)/|${ELECTRON}` },
    },
    {
      name: 'preload-only-common',
      comment: 'preload exposes the contract on window.metacot and nothing else.',
      severity: 'error',
      from: { path: '^preload/' },
      to: { path: '^(main|renderer)/' },
    },
    {
      name: 'engine-without-electron',
      comment: 'The engine is plain Node: the app, serve, the CLI, tests and benches all run it.',
      severity: 'error',
      from: { path: ENGINE },
      to: { path: `^(renderer|preload|main/electron)/|${ELECTRON}` },
    },
    {
      name: 'store-is-the-base-layer',
      comment: 'store/ owns the database; feature modules use it, never the other way round.',
      severity: 'error',
      from: { path: `${ENGINE}store/` },
      to: { path: `${ENGINE}(${FEATURES.join('|')})/` },
    },
    {
      name: 'tasks-are-pure-domain',
      comment: 'tasks/ (problems, states, solvers, answer checks) is used by the store\'s callers and every feature; it uses neither.',
      severity: 'error',
      from: { path: `${ENGINE}tasks/` },
      to: { path: `${ENGINE}(store|${FEATURES.join('|')})/` },
    },
    {
      name: 'models-not-into-search',
      comment: 'models/ implements providers/types.ts; only providers/index.ts joins it to search/.',
      severity: 'error',
      from: { path: `${ENGINE}models/` },
      to: { path: `${ENGINE}search/` },
    },
    {
      name: 'search-not-into-models',
      comment: 'search/ builds models by name through providers/ (createProviders), never directly.',
      severity: 'error',
      from: { path: `${ENGINE}search/` },
      to: { path: `${ENGINE}models/` },
    },
    {
      name: 'resolvable',
      comment: 'An import the checker cannot resolve would escape every rule above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    // npm packages stay in the graph (not followed), so rules can name one (electron).
    exclude: { path: '^out/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
