import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(root, 'main/electron/index.ts'),
          'engine-host': resolve(root, 'main/electron/engine-host.ts'),
          // Worker threads are their own entries (see main/engine/worker-entries.ts).
          'search-worker': resolve(root, 'main/engine/search/worker/search-worker.ts'),
          'writer-thread': resolve(root, 'main/engine/search/writer/writer-thread.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot be an ES module nor require node_modules: one bundled CJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    build: {
      // The studio ships as one page: minified, the bundle is about a third of its size.
      minify: true,
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
    plugins: [react()],
  },
});
