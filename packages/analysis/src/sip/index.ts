export { parseSipMessage } from "./parse.js";
