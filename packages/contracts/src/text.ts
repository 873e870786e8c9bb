import { z } from "zod";

/**
 * Text a person types or a URL carries (ids, titles, names, search terms) never needs control
 * characters, and PostgreSQL text cannot hold U+0000 at all: such input is refused with a 400
 * that names the field, instead of failing in the database.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is what this pattern is for
const LINE = /^[^\u0000-\u001F\u007F-\u009F]*$/;
/** A note is several lines: tab, LF and CR stay allowed. */
// eslint-disable-next-line no-control-regex -- matching control characters is what this pattern is for
const MULTILINE = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$/;

export const CONTROL_CHARACTERS_REFUSED = "must not contain control characters (U+0000–U+001F, U+007F–U+009F)";

/** One line of text: no control characters at all. */
export const lineText = () => z.string().regex(LINE, CONTROL_CHARACTERS_REFUSED);

/** Several lines of text: tab, CR and LF allowed, other control characters not. */
export const multilineText = () => z.string().regex(MULTILINE, "must not contain control characters other than tab and line breaks");
