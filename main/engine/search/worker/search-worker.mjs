// Worker entry for source checkouts (CLI, serve, tests run TypeScript through tsx): register tsx
// in this thread, then load the TypeScript worker. Packaged builds point at a bundled worker.
import { register } from 'tsx/esm/api';

register();
await import('./search-worker.ts');
