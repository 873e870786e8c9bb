import { useLocation } from "react-router";
import { formatCount } from "../ui/format";

/** Navigation state after sign-in: how many of this browser's analyses moved into the account. */
export interface ClaimState {
  claimedAnalyses: number;
}

const claimedOf = (state: unknown): number =>
  typeof state === "object" && state !== null && "claimedAnalyses" in state && typeof state.claimedAnalyses === "number" ? state.claimedAnalyses : 0;

/** Says, once, on the page sign-in led to, that analyses made before signing in are now in the account. */
export function ClaimNotice() {
  const claimed = claimedOf(useLocation().state);
  if (claimed === 0) return null;
  return (
    <p className="notice small claim-notice" role="status" data-testid="claim-notice">
      {claimed === 1 ? "1 analysis moved into your account." : `${formatCount(claimed)} analyses moved into your account.`}
    </p>
  );
}
