// Worker entry for source checkouts: register tsx in this thread, then load the TypeScript writer.
import { register } from 'tsx/esm/api';

register();
await import('./writer-thread.ts');
