import { useMemo } from "react";
import { useParams } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { sharedQuery } from "../api/queries";
import { sharedSource } from "../api/analysisSource";
import { describeError, isNotFound } from "../api/errors";
import { AnalysisView } from "../analysis/AnalysisView";
import { ErrorState, Loading } from "../ui/States";
import { formatDate } from "../ui/format";

/** A shared link: read-only, no login, opens on the shared finding. */
export function SharedPage() {
  const { token = "" } = useParams();
  const source = useMemo(() => sharedSource(token), [token]);
  const shared = useQuery(sharedQuery(token));
  if (shared.isPending) return <Loading label="Loading shared analysis…" />;
  if (shared.isError) {
    return isNotFound(shared.error) ? (
      <ErrorState title="This link does not work any more.">
        It was revoked, it expired, or it was never valid. Ask the person who shared it for a new link.
      </ErrorState>
    ) : (
      <ErrorState title="The shared analysis could not be loaded.">{describeError(shared.error)}</ErrorState>
    );
  }
  const data = shared.data;
  return (
    <div className="page wide">
      <p className="notice small" role="note">
        Shared read-only{data.sharedAt ? ` on ${formatDate(data.sharedAt)}` : ""}:{" "}
        {data.scope === "call" ? "one call of the trace, nothing of the other calls." : "the whole trace."}
        {data.redacted && <strong> Redacted: numbers, names and addresses are pseudonyms.</strong>}
        {data.timesShifted && <strong> Times are shifted: dates and times of day are not the capture's; intervals are.</strong>}
      </p>
      <AnalysisView
        overview={data.overview}
        source={source}
        storageKey={`share-${token}`}
        title={<h1>{data.title || `${data.overview.formatName} trace`}</h1>}
        titleText={data.title || `${data.overview.formatName} trace`}
        readOnly
        focusFindingId={data.focusFindingId ?? null}
        focusMessageIndex={data.focusMessageIndex ?? null}
        callsOnly={data.scope === "call"}
      />
    </div>
  );
}
