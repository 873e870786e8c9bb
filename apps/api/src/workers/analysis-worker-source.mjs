// Entry used when the API runs from TypeScript sources (tests, `tsx` dev): teaches the worker
// thread to load .ts files; the built API starts dist/workers/analysis-worker.js directly.
import { register } from "tsx/esm/api";

register();
await import("./analysis-worker.ts");
