import { useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { callLadderModel, findingWindows } from "@siplens/analysis/ladder";
import type { FindingCode, Lane } from "@siplens/contracts";
import { Ladder, ROW_HEIGHT } from "../ladder/Ladder";
import { describeError } from "../api/errors";
import { Loading } from "../ui/States";
import type { GuideExample } from "./entries";
import { guideExample } from "./example";
import { loadFixture } from "./fixtures";

const laneName = (lane: Lane) => lane.name;
const noRename = () => {};
/** Tall enough for a call or two; a longer example scrolls inside its box. */
const MAX_HEIGHT = 520;

/** The example call drawn by the app's own ladder from the analyzer's result on a committed trace, the finding's evidence highlighted. */
export function GuideLadder({ code, example }: { code: FindingCode; example: GuideExample }) {
  const query = useQuery({
    queryKey: ["guide-example", example.fixture, code, example.callId],
    queryFn: async () => guideExample(await loadFixture(example.fixture), code, example.callId) ?? null,
    staleTime: Infinity,
  });
  const [selected, setSelected] = useState<number | null>(null);
  const data = query.data;
  const model = useMemo(
    () => (data ? callLadderModel(data.lanes, data.messages, { collapseRetransmissions: false, timeMode: "since-start", timeDigits: data.timeDigits }) : null),
    [data],
  );
  const evidence = useMemo(() => new Set(data?.finding.evidence ?? []), [data]);
  const windows = useMemo(() => (data && model ? findingWindows([data.finding], model.positionOf, data.timeDigits) : []), [data, model]);

  if (query.isPending) return <Loading label="Analysing the example trace…" />;
  if (query.isError)
    return (
      <p className="error-text" role="alert">
        The example could not be drawn. {describeError(query.error)}
      </p>
    );
  if (!data || !model)
    return (
      <p className="muted" role="status">
        The example trace no longer produces this finding — the guide needs a new example.
      </p>
    );

  const picked = selected != null ? data.messages.find((m) => m.index === selected) : undefined;
  const height = Math.min(MAX_HEIGHT, (model.rows.length + 2) * ROW_HEIGHT);
  return (
    <figure className="guide-example" data-testid="guide-example" data-fixture={example.fixture}>
      <div className="guide-ladder" style={{ height }}>
        <Ladder
          lanes={model.lanes}
          rowCount={model.rows.length}
          rowAt={(p) => model.rows[p]}
          laneName={laneName}
          onRenameLane={noRename}
          evidence={evidence}
          selected={selected}
          compare={null}
          windows={windows}
          activeFindingId={data.finding.id}
          onSelect={(index) => setSelected(index)}
          scrollRequest={null}
          readOnlyLanes
        />
      </div>
      <figcaption className="small">
        <p>
          {example.caption} Highlighted rows are the finding’s evidence ({data.finding.evidence.length} message{data.finding.evidence.length === 1 ? "" : "s"}).
          {data.callIds.length > 1 && ` ${data.callIds.length} of its calls are drawn.`}
          {picked && (
            <span className="mono">
              {" "}
              Selected: {picked.where} {picked.label}.
            </span>
          )}
        </p>
        <p>
          What siplens says about it: <strong>{data.finding.title}.</strong> {data.finding.explanation}
        </p>
        <p className="muted mono">{example.fixture}</p>
      </figcaption>
    </figure>
  );
}
