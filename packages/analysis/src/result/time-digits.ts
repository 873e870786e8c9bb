/**
 * How many decimal places of a second the input's times carry: a pcap has µs (6), a log that prints
 * milliseconds has 3. Read off the times themselves, so every reader and text format gets it right
 * without saying so. Epoch seconds in a double are exact to about 0.24 µs, hence the tolerance and
 * the cap at 6 (a pcapng's nanoseconds cannot be told apart from µs once they are epoch seconds).
 */
const MAX_DIGITS = 6;
const TOLERANCE_SECONDS = 2.5e-7;

const fits = (time: number, digits: number) => {
  const scale = 10 ** digits;
  return Math.abs(time - Math.round(time * scale) / scale) <= TOLERANCE_SECONDS;
};

export function timeDigitsOf(messages: Iterable<{ time: number | null }>): number {
  let digits = 0;
  let timed = false;
  for (const { time } of messages) {
    if (time === null) continue;
    timed = true;
    while (digits < MAX_DIGITS && !fits(time, digits)) digits++;
    if (digits === MAX_DIGITS) break;
  }
  // an untimed input shows no times; 3 is what a reader expects when one turns up
  return timed ? digits : 3;
}
