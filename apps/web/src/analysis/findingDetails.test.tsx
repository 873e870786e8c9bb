import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { fireEvent, screen, within } from "@testing-library/react";
import { findingSchema, type Finding } from "@siplens/contracts";
import { FindingsPanel } from "./FindingsPanel";
import { detailRows } from "./findingDetails";
import { exampleParts, partsOf } from "../test/corpus";
import { renderAt } from "../test/render";

const fixture = (name: string) => new Uint8Array(readFileSync(join(process.cwd(), "../../packages/analysis/test/fixtures/diagnosis", name)));
/** One finding of every code as parts version 1 stored them (see that file's test in packages/analysis). */
const storedV1 = (
  JSON.parse(readFileSync(join(process.cwd(), "../../packages/analysis/test/fixtures/stored/findings-parts-v1.json"), "utf8")) as unknown[]
).map((f) => findingSchema.parse(f));

const findings: Finding[] = [
  ...["fork-one-answers.sngrep.txt", "cancel-200-race.ngrep.txt", "missing-ack.pcap", "caller-hangup.sngrep.txt"].flatMap((f) => exampleParts(f).findings),
  ...[
    "fork-all-timed-out.pcap",
    "b2bua-603-as-487.pcap",
    "cancel-wrong-branch.pcap",
    "uas-487-timer.pcap",
    "serial-fork-timeout.pcap",
    "uas-487-after-200.pcap",
  ].flatMap((f) => partsOf(fixture(f)).findings),
];
/** What a raw JSON value looks like on screen: braces, or a quoted key. */
const JSON_LIKE = /[{}]|"\w+":/;

describe("finding details in words", () => {
  it("cover the codes of real traces and of stored rows", () => {
    expect(new Set([...findings, ...storedV1].map((f) => f.code)).size).toBe(14);
  });

  it("give every detail a label and a value without raw JSON", () => {
    for (const f of [...findings, ...storedV1]) {
      for (const row of detailRows(f)) {
        expect(row.label, `${f.code}.${row.key}`).not.toMatch(/[a-z][A-Z]/);
        const shown = [row.text, ...(row.items ?? [])].join("\n");
        expect(shown, `${f.code}.${row.key}`).not.toMatch(JSON_LIKE);
        expect(shown.trim() !== "" || (row.messages?.length ?? 0) > 0, `${f.code}.${row.key} shows nothing`).toBe(true);
      }
    }
  });

  it("write a fork's winning and losing branches as target, final and CANCEL", () => {
    const fork = exampleParts("fork-one-answers.sngrep.txt").findings.find((f) => f.code === "fork-branch-lost")!;
    const rows = detailRows(fork);
    const winning = rows.find((r) => r.key === "winningBranch")!;
    expect(winning.label).toBe("Winning branch");
    expect(winning.text).toMatch(/^sip:\S+ \(\S+ → \S+\): final 200$/);
    const losing = rows.find((r) => r.key === "losingBranches")!;
    expect(losing.items?.length).toBeGreaterThan(0);
    for (const item of losing.items ?? []) expect(item).toMatch(/: final 487, CANCEL #\d+/);
  });

  it("write timers by name and measured offset, and message references as message links", () => {
    const pt = partsOf(fixture("fork-all-timed-out.pcap")).findings.find((f) => f.code === "proxy-timeout")!;
    const rows = detailRows(pt);
    expect(rows.find((r) => r.key === "nearestTimer")?.text).toMatch(/^30 s no-answer timer \(30(\.0+)? s, measured −2\d\.\d+ s off it\)$/);
    expect(rows.find((r) => r.key === "timer")).toBeUndefined();
    const race = exampleParts("cancel-200-race.ngrep.txt").findings.find((f) => f.code === "cancel-200-race")!;
    const cancel = detailRows(race).find((r) => r.key === "cancelIndex")!;
    expect(cancel).toMatchObject({ label: "CANCEL", messages: [race.details.cancelIndex] });
  });

  it("show a field this version does not know as words", () => {
    const f = { ...findings[0]!, details: { ...findings[0]!.details, legacyPhase: { ringMs: 3970, byCaller: true } } } as Finding;
    expect(detailRows(f).find((r) => r.key === "legacyPhase")).toMatchObject({ label: "Legacy phase", text: "ring (ms): 3,970, by caller: yes" });
  });

  it("the findings panel shows the labels and opens the message a detail names", async () => {
    const fork = exampleParts("fork-one-answers.sngrep.txt").findings.find((f) => f.code === "fork-branch-lost")!;
    // Two examples number their findings alike: the panel needs distinct ids.
    const race = { ...exampleParts("cancel-200-race.ngrep.txt").findings.find((f) => f.code === "cancel-200-race")!, id: "race" };
    const onShowMessage = vi.fn();
    const panel = (selected: Finding) => (
      <FindingsPanel findings={[fork, race]} total={2} selected={selected} onSelect={() => {}} onShowMessage={onShowMessage} emptyText="" />
    );
    const { container } = renderAt("/", [{ path: "/", element: panel(fork) }]);
    const body = await screen.findByText("Winning branch");
    expect(container.querySelector(".finding-body")!.textContent).not.toMatch(JSON_LIKE);
    expect(body).toBeTruthy();
    const view = renderAt("/", [{ path: "/", element: panel(race) }]);
    const dl = view.container.querySelector(".finding-body dl") as HTMLElement;
    const cancelLabel = within(dl).getByText("CANCEL");
    fireEvent.click(within(cancelLabel.parentElement!).getByRole("button", { name: `#${race.details.cancelIndex}` }));
    expect(onShowMessage).toHaveBeenCalledWith(race.details.cancelIndex);
  });
});
