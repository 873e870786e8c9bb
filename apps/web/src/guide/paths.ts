import type { FindingCode } from "@siplens/contracts";

/** Where a finding code's guide page is (kept apart from the guide's text so links cost the main bundle nothing). */
export function guidePath(code: FindingCode): string {
  return `/guide/${encodeURIComponent(code)}`;
}

export const GUIDE_INDEX_PATH = "/guide";
