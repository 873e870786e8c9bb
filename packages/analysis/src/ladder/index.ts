/**
 * @siplens/analysis/ladder: the pure ladder layout (rows and lanes in, what to draw out) and the time
 * formatting it uses. Browser-safe and UI-free: the web app draws it, exports and tests use it alone.
 */
export {
  BRANCH_COLOURS,
  branchColour,
  buildLadderModel,
  callLadderModel,
  callLanes,
  findingWindows,
  laneGeometry,
  measuredInterval,
  mergeCallMessages,
  transactionMembers,
  windowLabel,
  windowedRow,
  type FindingWindow,
  type LadderInput,
  type LadderModel,
  type LadderOptions,
  type MeasuredInterval,
  type PositionLookup,
  type VisibleRow,
} from "./layout.js";
export { DEFAULT_TIME_DIGITS, formatClock, formatDateTime, formatDuration, formatMs, formatRowTime, formatSeconds, type TimeMode } from "./time.js";
