import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// "source" first so @siplens/* workspace packages resolve to their TypeScript sources.
export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ["source", "module", "browser", "development|production"] },
  server: {
    port: 5173,
    proxy: { "/api": { target: "http://localhost:3000", changeOrigin: false } },
  },
  build: { outDir: "dist", sourcemap: true, chunkSizeWarningLimit: 1500 },
});
