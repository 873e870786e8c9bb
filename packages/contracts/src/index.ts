export * from "./analysis.js";
