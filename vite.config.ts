/**
 * Vite builds the dashboard (web/) into web/dist. The API serves web/dist (src/api/routes/static.ts);
 * `vite` in dev proxies /api to a running `handoff serve` (HANDOFF_API, default http://127.0.0.1:8787).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: 'web',
  base: '/',
  publicDir: false,
  build: {
    // outDir is resolved against `root`; give it absolutely so the output lands in web/dist.
    outDir: `${here}web/dist`,
    emptyOutDir: true,
    target: 'es2022',
    // No inline assets: a data: URL script or style would need a looser Content-Security-Policy.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': process.env.HANDOFF_API ?? 'http://127.0.0.1:8787' },
  },
});
