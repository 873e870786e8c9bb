export * from "./analysis.js";
export * from "./api.js";
