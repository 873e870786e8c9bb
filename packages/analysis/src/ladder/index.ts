export { buildLadder, withRelativeTimes } from "./build-ladder.js";
