import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { loadConfig } from '../core/config.ts';
import { devGateway } from './dev-gateway.ts';

// `vite build web` writes web/dist, which the gateway serves at `/`. `vite web` (npm run dev) serves
// the console with hot reload and proxies the gateway's doors to the gateway it starts.
const gateway = `http://127.0.0.1:${loadConfig().port}`;

export default defineConfig({
  plugins: [react(), devGateway()],
  // One copy of `ai` in the bundle (the React bindings pin a neighbouring patch release).
  resolve: { dedupe: ['ai', 'react', 'react-dom'] },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1000 },
  server: {
    port: 5173,
    strictPort: true,
    // The Host header is kept (no changeOrigin): the gateway's same-origin check compares it with Origin.
    proxy: Object.fromEntries(['/api', '/mcp', '/healthz'].map((prefix) => [prefix, { target: gateway }])),
  },
});
