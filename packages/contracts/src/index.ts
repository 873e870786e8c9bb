export * from "./analysis.js";
export * from "./api.js";
export * from "./parts.js";
export * from "./text.js";
export * from "./finding-details.js";
