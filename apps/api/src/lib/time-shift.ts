import { randomInt } from "node:crypto";

const DAY_SECONDS = 86_400;

/**
 * A share's time offset: between 30 and 400 days back, to the second, so neither the day nor
 * the time of day of the capture can be read from the link (whole seconds keep the capture's
 * microseconds as they were).
 */
export const newTimeShift = (): number => -randomInt(30 * DAY_SECONDS, 400 * DAY_SECONDS);
