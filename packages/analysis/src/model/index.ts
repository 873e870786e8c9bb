export { ModelBuilder, type ModelBuilderOptions } from "./build.js";
export type * from "./types.js";
export { traceEndTime } from "./types.js";
