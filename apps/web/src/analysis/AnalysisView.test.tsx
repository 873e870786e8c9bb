import { afterEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import type { AnalysisOverview, LadderRow } from "@siplens/contracts";
import { AnalysisPage } from "../pages/AnalysisPage";
import { SharedPage } from "../pages/SharedPage";
import { MessagePane } from "./MessagePane";
import { ROW_HEIGHT } from "../ladder/Ladder";
import { analysisDetailOf, analyzerFixtureBytes, correlationFixtureBytes, exampleParts, messageDetailOf, partsOf, type ExampleParts } from "../test/corpus";
import { stubFetch, type StubbedCall } from "../test/fetchStub";
import { partsServer, type PartsServerOptions } from "../test/partsServer";
import { jsonResponse, renderAt } from "../test/render";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const rows = (container: HTMLElement) => container.querySelectorAll("[data-testid=ladder-row]");
const paneTitle = () => screen.getByTestId("message-pane").querySelector("h2")?.textContent ?? "";
/** The pane names its message as the input does ("line 5", "frame 12"), never by an internal index. */
const expectPaneNames = (parts: ExampleParts, index: number) => expect(paneTitle()).toMatch(new RegExp(`^${parts.summaries[index]!.where} `));
const partRequests = (calls: StubbedCall[], part: string) => calls.filter((c) => new URL(c.url, "http://t").pathname.includes(`/${part}`));
const callListRequests = (calls: StubbedCall[]) => calls.filter((c) => new URL(c.url, "http://t").pathname.endsWith("/calls"));

/** Opens /a/an1 against a stubbed API serving the parts of a real trace. */
function openAnalysis(parts: ExampleParts, options: PartsServerOptions & { fail?: (url: string) => Response | undefined } = {}) {
  const detail = analysisDetailOf(parts, "an1");
  const serve = partsServer(parts, "/api/analyses/an1", options);
  const calls = stubFetch((url) => {
    const failed = options.fail?.(url);
    if (failed) return failed;
    if (url === "/api/me") return jsonResponse(200, { user: null });
    if (url === "/api/analyses/an1") return jsonResponse(200, detail);
    return serve(url) ?? jsonResponse(404, { error: "not-found", message: "Not found." });
  });
  const view = renderAt("/a/an1", [{ path: "/a/:id", element: <AnalysisPage /> }]);
  return { ...view, calls };
}

describe("AnalysisPage reads the analysis in parts", () => {
  const fork = exampleParts("fork-one-answers.sngrep.txt");

  it("opens from the overview and the first page of calls; the whole-trace ladder reads rows from /window", async () => {
    const { container, calls } = openAnalysis(fork);
    await waitFor(() => expect(screen.getAllByTestId("call-item")).toHaveLength(fork.overview.callCount));
    expect(screen.getByTestId("summary-messages").textContent).toBe(fork.overview.messageCount.toLocaleString("en-US"));
    expect(screen.getByRole("heading", { name: /^Calls/ }).textContent).toContain(String(fork.overview.callCount));
    const ladder = screen.getByTestId("ladder");
    expect(Number(ladder.dataset.rowCount)).toBe(fork.overview.messageCount);
    await waitFor(() => expect(rows(container).length).toBe(fork.overview.messageCount));
    for (const lane of fork.overview.lanes) expect(within(ladder).getByText(lane.name)).toBeTruthy();
    expect(partRequests(calls, "window").map((c) => c.url)).toEqual(["/api/analyses/an1/window?start=0&count=500"]);
    // nothing asked for a call or a message that nobody opened
    expect(partRequests(calls, "calls/")).toHaveLength(0);
    expect(partRequests(calls, "messages/")).toHaveLength(0);
    await waitFor(() => expect(screen.getAllByTestId("finding")).toHaveLength(fork.findings.length));
  });

  it("clicking a call loads its detail and draws only its rows; lane rename applies to the header", async () => {
    const { calls } = openAnalysis(fork);
    const forked = fork.details.find((d) => d.branches > 1)!;
    await waitFor(() => expect(screen.getAllByTestId("call-item").length).toBeGreaterThan(forked.ordinal));
    fireEvent.click(screen.getAllByTestId("call-item")[forked.ordinal]!.querySelector(".call-main")!);
    await waitFor(() => expect(screen.getByTestId("ladder").dataset.rowCount).toBe(String(forked.messages.length)));
    expect(partRequests(calls, "calls/").map((c) => c.url)).toEqual([`/api/analyses/an1/calls/${forked.ordinal}`]);
    const ladder = screen.getByTestId("ladder");
    const branches = new Set([...ladder.querySelectorAll<SVGPathElement>(".lrow path")].map((p) => p.getAttribute("fill")));
    expect(branches.size).toBeGreaterThan(1); // fork branches get their own colours
    const proxy = fork.overview.lanes.find((l) => l.name.includes("proxy"))!;
    fireEvent.click(within(ladder).getByText(proxy.name));
    const input = screen.getByLabelText(`New name for ${proxy.name}`);
    fireEvent.change(input, { target: { value: "kamailio" } });
    fireEvent.submit(input.closest("form")!);
    expect(within(screen.getByTestId("ladder")).getByText("kamailio")).toBeTruthy();
    // the findings panel now shows the call's findings, from its detail
    expect(screen.getAllByTestId("finding").map((f) => f.dataset.findingId)).toEqual(forked.findings.map((f) => f.id));
  });

  it("selecting a finding highlights its evidence and opens the first evidence message, read from /messages", async () => {
    const hangup = exampleParts("caller-hangup.sngrep.txt");
    const finding = hangup.findings[0]!;
    const { container, calls } = openAnalysis(hangup);
    fireEvent.click(await screen.findByText(finding.title));
    await waitFor(() => {
      const highlighted = [...container.querySelectorAll(".lrow.evidence")].map((el) => Number((el as HTMLElement).dataset.index));
      expect(highlighted.sort((a, b) => a - b)).toEqual([...finding.evidence].sort((a, b) => a - b));
    });
    const first = Math.min(...finding.evidence);
    await waitFor(() => expect(screen.getByTestId("raw-message").textContent).toBe(hangup.raw[first]));
    expectPaneNames(hangup, first);
    expect(partRequests(calls, "messages/").map((c) => c.url)).toContain(`/api/analyses/an1/messages/${first}`);
    for (const ref of finding.rfc) expect(screen.getAllByText(ref).length).toBeGreaterThan(0);
  });

  it("j/k step through messages, n steps through findings, Esc closes the pane", async () => {
    const race = exampleParts("cancel-200-race.ngrep.txt");
    openAnalysis(race);
    await screen.findAllByTestId("finding");
    await waitFor(() => expect(document.querySelectorAll("[data-testid=ladder-row]").length).toBeGreaterThan(3));
    act(() => void fireEvent.keyDown(window, { key: "j" }));
    await waitFor(() => expectPaneNames(race, 0));
    act(() => void fireEvent.keyDown(window, { key: "j" }));
    act(() => void fireEvent.keyDown(window, { key: "ArrowDown" }));
    await waitFor(() => expectPaneNames(race, 2));
    act(() => void fireEvent.keyDown(window, { key: "k" }));
    await waitFor(() => expectPaneNames(race, 1));
    act(() => void fireEvent.keyDown(window, { key: "n" }));
    act(() => void fireEvent.keyDown(window, { key: "n" }));
    await waitFor(() => expect(document.querySelector(".finding.selected")?.getAttribute("data-finding-id")).toBe(race.findings[1]!.id));
    act(() => void fireEvent.keyDown(window, { key: "Escape" }));
    expect(screen.queryByTestId("message-pane")).toBeNull();
  });

  it("a trace of one call opens on it, and retransmissions fold into the first copy with a count", async () => {
    const missingAck = exampleParts("missing-ack.pcap");
    const retransmissions = missingAck.summaries.filter((m) => m.retransmissionOf !== undefined).length;
    const { container, calls } = openAnalysis(missingAck);
    await waitFor(() => expect(container.querySelectorAll(".lrow.retr").length).toBe(retransmissions));
    expect(partRequests(calls, "calls/").map((c) => c.url)).toEqual(["/api/analyses/an1/calls/0"]);
    fireEvent.click(screen.getByLabelText(/Collapse retransmissions/));
    expect(container.querySelectorAll(".lrow.retr").length).toBe(0);
    expect(screen.getByTestId("ladder").dataset.rowCount).toBe(String(missingAck.overview.messageCount - retransmissions));
    expect(container.textContent).toMatch(/487 Request Terminated ×\d+/);
  });

  it("searches and filters calls on the server, debounced", async () => {
    const race = exampleParts("cancel-200-race.ngrep.txt");
    const { calls } = openAnalysis(race);
    await waitFor(() => expect(screen.getAllByTestId("call-item")).toHaveLength(race.overview.callCount));
    const target = race.callRows[3]!;
    const search = screen.getByLabelText("Search calls by number, Call-ID or host");
    for (let n = 4; n <= target.callId.length; n += 4) fireEvent.change(search, { target: { value: target.callId.slice(0, n) } });
    fireEvent.change(search, { target: { value: target.callId } });
    await waitFor(() => expect(screen.getAllByTestId("call-item")).toHaveLength(1));
    expect(screen.getByRole("heading", { name: /^Calls/ }).textContent).toContain(`1 of ${race.overview.callCount}`);
    // one request for the settled text, not one per keystroke
    const searches = callListRequests(calls).filter((c) => c.url.includes("q="));
    expect(searches.map((c) => new URL(c.url, "http://t").searchParams.get("q"))).toEqual([target.callId]);
    fireEvent.change(search, { target: { value: "no-such-call" } });
    expect(await screen.findByText("No call matches these filters.")).toBeTruthy();
    fireEvent.change(search, { target: { value: "" } });
    fireEvent.change(screen.getByLabelText("Filter by outcome"), { target: { value: target.outcome } });
    const expected = race.callRows.filter((c) => c.outcome === target.outcome).length;
    await waitFor(() => expect(screen.getAllByTestId("call-item")).toHaveLength(expected));
    expect(callListRequests(calls).at(-1)?.url).toContain(`outcome=${target.outcome}`);
  });

  it("pages through the call list", async () => {
    const race = exampleParts("cancel-200-race.ngrep.txt");
    openAnalysis(race, { pageSize: 3 });
    await waitFor(() => expect(screen.getAllByTestId("call-item").length).toBeGreaterThanOrEqual(3));
    await waitFor(() => expect(screen.getAllByTestId("call-item")).toHaveLength(race.overview.callCount));
    expect(screen.queryByRole("button", { name: /Load more/ })).toBeNull();
  });

  it("pages through the trace's findings, and shows a call's own findings when it is selected", async () => {
    const race = exampleParts("cancel-200-race.ngrep.txt");
    expect(race.findings.length).toBeGreaterThan(2);
    const { calls } = openAnalysis(race, { pageSize: 2 });
    await waitFor(() => expect(screen.getAllByTestId("finding")).toHaveLength(2));
    expect(screen.getByRole("heading", { name: /^Findings/ }).textContent).toContain(String(race.findings.length));
    fireEvent.click(screen.getByRole("button", { name: `Show more (${race.findings.length - 2} not shown)` }));
    await waitFor(() => expect(screen.getAllByTestId("finding")).toHaveLength(4));
    expect(partRequests(calls, "findings").map((c) => new URL(c.url, "http://t").searchParams.get("cursor"))).toEqual([null, "2"]);
    const withFinding = race.details.find((d) => d.findings.length > 0)!;
    await waitFor(() => expect(screen.getAllByTestId("call-item").length).toBeGreaterThan(withFinding.ordinal));
    fireEvent.click(screen.getAllByTestId("call-item")[withFinding.ordinal]!.querySelector(".call-main")!);
    await waitFor(() => expect(screen.getAllByTestId("finding").map((f) => f.dataset.findingId)).toEqual(withFinding.findings.map((f) => f.id)));
    expect(screen.queryByRole("button", { name: /Show more/ })).toBeNull();
  });

  it("hovering an arrow highlights its whole transaction; shift-click opens a diff of two messages", async () => {
    const hangup = exampleParts("caller-hangup.sngrep.txt");
    const { container } = openAnalysis(hangup);
    await waitFor(() => expect(rows(container).length).toBe(hangup.overview.messageCount));
    const row = (index: number) => container.querySelector(`.lrow[data-index="${index}"]`)!;
    const invite = hangup.summaries.find((m) => m.method === "INVITE" && m.kind === "request")!;
    const cancel = hangup.summaries.find((m) => m.method === "CANCEL")!;
    fireEvent.mouseEnter(row(invite.index));
    const hovered = [...container.querySelectorAll(".lrow.tx-hover")].map((el) => Number((el as HTMLElement).dataset.index));
    expect(hovered.sort((a, b) => a - b)).toEqual(hangup.summaries.filter((m) => m.transactionId === invite.transactionId).map((m) => m.index));
    expect(hovered).not.toContain(cancel.index); // the CANCEL is its own transaction
    fireEvent.click(row(invite.index));
    fireEvent.click(row(cancel.index), { shiftKey: true });
    fireEvent.click(await screen.findByRole("tab", { name: `Diff with ${cancel.where}` }));
    expect(screen.getByTestId("message-diff").textContent).toContain("CANCEL");
  });

  it("says when a call cannot be loaded, and when a message cannot", async () => {
    const race = exampleParts("cancel-200-race.ngrep.txt");
    openAnalysis(race, {
      fail: (url) => (/\/calls\/\d+$|\/messages\//.test(url) ? jsonResponse(500, { error: "internal", message: "The server had a problem." }) : undefined),
    });
    await waitFor(() => expect(screen.getAllByTestId("call-item").length).toBeGreaterThan(1));
    fireEvent.click(screen.getAllByTestId("call-item")[1]!.querySelector(".call-main")!);
    expect((await screen.findByText(/The selected calls could not be loaded/)).textContent).toContain("The server had a problem.");
    fireEvent.click(screen.getByRole("button", { name: "Whole trace" }));
    await waitFor(() => expect(document.querySelectorAll("[data-testid=ladder-row]").length).toBeGreaterThan(0));
    fireEvent.click(document.querySelector(".lrow")!);
    expect(await screen.findByText(/could not be loaded\. The server had a problem/)).toBeTruthy();
  });
});

/** A trace of half a million messages: /window answers any range from a real call's rows, repeated. */
function hugeTrace() {
  const base = exampleParts("caller-hangup.sngrep.txt");
  const count = 500_000;
  const overview: AnalysisOverview = { ...base.overview, messageCount: count, callCount: Math.ceil(count / base.overview.messageCount) };
  const rowAt = (index: number): LadderRow => {
    const template = base.rows[index % base.rows.length]!;
    return {
      ...template,
      index,
      callId: `bulk-${Math.floor(index / base.rows.length)}`,
      time: (template.time ?? 0) + index * 0.01,
      transactionId: `${template.transactionId}-${Math.floor(index / base.rows.length)}`,
    };
  };
  const calls = stubFetch((url) => {
    const parsed = new URL(url, "http://t");
    if (url === "/api/me") return jsonResponse(200, { user: null });
    if (parsed.pathname === "/api/analyses/big") return jsonResponse(200, analysisDetailOf({ ...base, overview }, "big"));
    if (parsed.pathname.endsWith("/window")) {
      const start = Number(parsed.searchParams.get("start"));
      const n = Math.min(Number(parsed.searchParams.get("count")), count - start);
      const rows = Array.from({ length: n }, (_, i) => rowAt(start + i));
      return jsonResponse(200, { start, messageCount: count, messages: [], rows });
    }
    if (parsed.pathname.endsWith("/calls")) return jsonResponse(200, { items: base.callRows, total: overview.callCount, nextCursor: "1" });
    if (parsed.pathname.endsWith("/findings")) return jsonResponse(200, { items: [], total: 0, nextCursor: null });
    return jsonResponse(404, { error: "not-found", message: "Not found." });
  });
  return { calls, count };
}

describe("a correlated call (legs across a B2BUA) in the call list", () => {
  // two concurrent calls through a Kamailio topoh SBC: four Call-IDs, two correlated calls
  const sbc = partsOf(correlationFixtureBytes("heuristic-two-calls.pcap"));

  it("shows one entry per correlated call with its legs, and selecting it draws every leg in the ladder", async () => {
    const { calls } = openAnalysis(sbc);
    expect(sbc.overview.callCount).toBe(4);
    await waitFor(() => expect(screen.getAllByTestId("call-item")).toHaveLength(2));
    const entries = screen.getAllByTestId("call-item");
    expect(entries.map((e) => e.dataset.group)).toEqual(["g1", "g2"]);
    expect(screen.getByTestId("summary-correlated").textContent).toBe(" · 2 correlated (4 legs)");
    const legs = within(entries[0]!).getByTestId("call-legs");
    expect(legs.textContent).toContain("2 legs · heuristic · 75%");
    const g1 = sbc.callRows.filter((c) => c.group?.id === "g1");
    expect(g1).toHaveLength(2);
    fireEvent.click(entries[0]!.querySelector(".call-main")!);
    const both = sbc.details.filter((d) => d.group?.id === "g1");
    await waitFor(() => expect(screen.getByTestId("ladder").dataset.rowCount).toBe(String(both.reduce((n, d) => n + d.messages.length, 0))));
    expect(
      partRequests(calls, "calls/")
        .map((c) => c.url)
        .sort(),
    ).toEqual(g1.map((c) => `/api/analyses/an1/calls/${c.ordinal}`).sort());
    // its checkbox takes both legs out again
    fireEvent.click(within(entries[0]!).getByRole("checkbox"));
    await waitFor(() => expect(within(screen.getAllByTestId("call-item")[0]!).getByRole("checkbox")).toHaveProperty("checked", false));
  });

  it("the entry badges the findings of every leg: the SBC's own timeout on leg B shows on the call", async () => {
    const timer = partsOf(correlationFixtureBytes("session-id-timer.pcap"));
    openAnalysis(timer);
    await waitFor(() => expect(screen.getAllByTestId("call-item")).toHaveLength(1));
    const [a, b] = timer.callRows;
    expect(a!.findingCodes).toEqual(["487-without-cancel"]);
    expect(b!.findingCodes).toEqual(["proxy-timeout"]);
    const badges = [...screen.getAllByTestId("call-item")[0]!.querySelectorAll(".call-meta .badge")].map((el) => el.className);
    expect(badges).toEqual(["badge badge-487-without-cancel", "badge badge-proxy-timeout"]);
  });

  it("a filter that leaves only the SBC's leg shows that leg for the call, and selecting it asks the server for the group's legs", async () => {
    const { calls } = openAnalysis(sbc);
    await waitFor(() => expect(screen.getAllByTestId("call-item")).toHaveLength(2));
    const sbcLeg = sbc.callRows.find((c) => c.group?.id === "g2" && c.group.leg === 2)!;
    fireEvent.change(screen.getByLabelText("Search calls by number, Call-ID or host"), { target: { value: sbcLeg.callId } });
    await waitFor(() => expect(screen.getAllByTestId("call-item")).toHaveLength(1));
    fireEvent.click(screen.getAllByTestId("call-item")[0]!.querySelector(".call-main")!);
    await waitFor(() => expect(callListRequests(calls).some((c) => c.url.includes("group=g2"))).toBe(true));
    const both = sbc.details.filter((d) => d.group?.id === "g2");
    await waitFor(() => expect(screen.getByTestId("ladder").dataset.rowCount).toBe(String(both.reduce((n, d) => n + d.messages.length, 0))));
  });
});

describe("the whole-trace ladder of a huge trace", () => {
  it("is as tall as the trace but loads and draws only the windows in view", async () => {
    const { calls, count } = hugeTrace();
    const { container } = renderAt("/a/big", [{ path: "/a/:id", element: <AnalysisPage /> }]);
    const ladder = await screen.findByTestId("ladder");
    expect(ladder.dataset.rowCount).toBe(String(count));
    await waitFor(() => expect(rows(container).length).toBeGreaterThan(0));
    expect(rows(container).length).toBeLessThan(120);
    expect(partRequests(calls, "window").length).toBeLessThanOrEqual(2);

    act(() => {
      ladder.scrollTop = 26 * 250_000;
      fireEvent.scroll(ladder);
    });
    await waitFor(() => expect(partRequests(calls, "window").some((c) => c.url.includes("start=250000"))).toBe(true));
    await waitFor(() => {
      const indices = [...rows(container)].map((r) => Number((r as HTMLElement).dataset.index));
      expect(Math.min(...indices)).toBeGreaterThan(249_000);
      expect(Math.max(...indices)).toBeLessThan(251_000);
    });
    // never anything near the whole trace
    const fetchedRows = partRequests(calls, "window").reduce((n, c) => n + Number(new URL(c.url, "http://t").searchParams.get("count")), 0);
    expect(fetchedRows).toBeLessThanOrEqual(3000);
  });

  it("exports say which rows of the trace they cover", async () => {
    hugeTrace();
    const written: string[] = [];
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText: (text: string) => Promise.resolve(void written.push(text)) } });
    const { container } = renderAt("/a/big", [{ path: "/a/:id", element: <AnalysisPage /> }]);
    await waitFor(() => expect(rows(container).length).toBeGreaterThan(0));
    await waitFor(() => expect(container.querySelector("[data-testid=ladder-row-pending]")).toBeNull());
    fireEvent.click(screen.getByRole("button", { name: "Copy text" }));
    await waitFor(() => expect(written).toHaveLength(1));
    const lines = written[0]!.split("\n");
    expect(lines[3]).toMatch(/^Shows: whole trace, rows 1–1,000 of 500,000 \(the loaded window\), 1000 messages, /);
    expect(written[0]?.split("\n").filter((l) => l.includes("INVITE")).length).toBeGreaterThan(100);
    expect(await screen.findByText(/copied: whole trace, rows 1–1,000 of 500,000/)).toBeTruthy();
  });
});

describe("SharedPage", () => {
  it("opens on the shared finding with its calls, reading every part through the share token", async () => {
    const race = exampleParts("cancel-200-race.ngrep.txt");
    const finding = race.findings.at(-1)!;
    const serve = partsServer(race, "/api/shared/tok1", { pageSize: 2 });
    const calls = stubFetch((url) => {
      if (url === "/api/shared/tok1") {
        return jsonResponse(200, {
          title: "race",
          sharedAt: new Date().toISOString(),
          expiresAt: null,
          focusFindingId: finding.id,
          focusMessageIndex: null,
          redacted: true,
          overview: race.overview,
        });
      }
      return serve(url) ?? jsonResponse(404, { error: "not-found", message: "Not found." });
    });
    renderAt("/s/tok1", [{ path: "/s/:token", element: <SharedPage /> }]);
    const first = Math.min(...finding.evidence);
    await waitFor(() => expectPaneNames(race, first));
    await waitFor(() => expect(document.querySelector(".finding.selected")?.getAttribute("data-finding-id")).toBe(finding.id));
    const callIds = new Set(finding.callIds);
    const calledFor = race.callRows.filter((c) => callIds.has(c.callId)).map((c) => c.ordinal);
    await waitFor(() =>
      expect(
        partRequests(calls, "calls/")
          .map((c) => Number(c.url.split("/").at(-1)))
          .sort(),
      ).toEqual(calledFor.sort()),
    );
    expect(screen.getByText(/Redacted/)).toBeTruthy();
    expect(calls.every((c) => c.url.startsWith("/api/shared/tok1"))).toBe(true);
  });
});

describe("SharedPage focused on a finding of one leg of a correlated call", () => {
  it("opens the call whole: the finding's leg and the other leg its evidence rests on", async () => {
    // Kamailio topoh SBC: its 2 s timer cancels leg B and answers leg A 487 (no CANCEL on leg A)
    const sbc = partsOf(correlationFixtureBytes("session-id-timer.pcap"));
    const finding = sbc.findings.find((f) => f.code === "487-without-cancel")!;
    expect(finding.callIds).toHaveLength(1);
    const group = sbc.callRows.find((c) => c.callId === finding.callIds[0])!.group!;
    const serve = partsServer(sbc, "/api/shared/tok2");
    const calls = stubFetch((url) => {
      if (url === "/api/shared/tok2") {
        return jsonResponse(200, {
          title: "sbc",
          sharedAt: new Date().toISOString(),
          expiresAt: null,
          focusFindingId: finding.id,
          focusMessageIndex: null,
          redacted: false,
          overview: sbc.overview,
        });
      }
      return serve(url) ?? jsonResponse(404, { error: "not-found", message: "Not found." });
    });
    renderAt("/s/tok2", [{ path: "/s/:token", element: <SharedPage /> }]);
    const legs = sbc.callRows.filter((c) => c.group?.id === group.id);
    expect(legs).toHaveLength(2);
    await waitFor(() =>
      expect(
        partRequests(calls, "calls/")
          .map((c) => Number(c.url.split("/").at(-1)))
          .sort(),
      ).toEqual(legs.map((c) => c.ordinal).sort()),
    );
    const both = sbc.details.filter((d) => d.group?.id === group.id);
    await waitFor(() => expect(screen.getByTestId("ladder").dataset.rowCount).toBe(String(both.reduce((n, d) => n + d.messages.length, 0))));
    // leg B's messages are evidence of leg A's finding, drawn as such
    const otherLeg = both.find((d) => d.callId !== finding.callIds[0])!;
    const onB = finding.evidence.filter((i) => otherLeg.messages.some((m) => m.index === i));
    expect(onB.length).toBeGreaterThanOrEqual(2);
  });
});

describe("SharedPage focused on a message", () => {
  it("opens the whole trace scrolled to the message, with the message open", async () => {
    const race = exampleParts("cancel-200-race.ngrep.txt");
    const index = race.overview.messageCount - 2;
    // happy-dom scrolls without telling anyone: record where the ladder is asked to scroll
    const scrolls: number[] = [];
    vi.spyOn(HTMLElement.prototype, "scrollTo").mockImplementation(function (this: HTMLElement, options?: ScrollToOptions | number) {
      if (typeof options === "object" && this.classList.contains("ladder-scroll")) scrolls.push(options.top ?? 0);
    });
    const serve = partsServer(race, "/api/shared/tok2");
    stubFetch((url) =>
      url === "/api/shared/tok2"
        ? jsonResponse(200, {
            title: "",
            sharedAt: new Date().toISOString(),
            expiresAt: null,
            focusFindingId: null,
            focusMessageIndex: index,
            redacted: false,
            overview: race.overview,
          })
        : (serve(url) ?? jsonResponse(404, { error: "not-found", message: "Not found." })),
    );
    renderAt("/s/tok2", [{ path: "/s/:token", element: <SharedPage /> }]);
    await waitFor(() => expect(screen.getByTestId("raw-message").textContent).toBe(race.raw[index]));
    // the row lands inside the 600 px viewport the test setup gives the ladder
    const inView = (top: number) => top <= index * ROW_HEIGHT && top + 600 >= (index + 1) * ROW_HEIGHT;
    await waitFor(() => expect(scrolls.filter((top) => top > 0 && inView(top))).not.toHaveLength(0));
    expect(screen.getByTestId("ladder").dataset.rowCount).toBe(String(race.overview.messageCount));
  });

  it("says so when the link does not work any more", async () => {
    stubFetch(() => jsonResponse(404, { error: "not-found", message: "No such share." }));
    renderAt("/s/gone", [{ path: "/s/:token", element: <SharedPage /> }]);
    expect(await screen.findByText("This link does not work any more.")).toBeTruthy();
  });
});

describe("the ladder names messages and times as the capture does", () => {
  it("shows every row's capture frame and µs times; evidence and the message pane name frames too (missing-ack.pcap)", async () => {
    const pcap = exampleParts("missing-ack.pcap");
    expect(pcap.overview.timeDigits).toBe(6);
    const { container } = openAnalysis(pcap);
    await waitFor(() => expect(rows(container).length).toBe(pcap.overview.messageCount));
    const frames = [...container.querySelectorAll("[data-testid=ladder-row-where]")].map((el) => el.textContent);
    expect(frames).toEqual(pcap.summaries.map((m) => /^frame (\d+)$/.exec(m.where)![1]));
    expect(container.querySelector(".lane-gutter-where")?.textContent).toBe("frame");
    for (const row of rows(container)) expect(row.querySelector(".lrow-time")?.textContent).toMatch(/\.\d{6} s$/);
    fireEvent.click(screen.getByRole("radio", { name: "Clock" }));
    await waitFor(() => expect(rows(container)[0]?.querySelector(".lrow-time")?.textContent).toMatch(/^\d\d:\d\d:\d\d\.\d{6}$/));

    const finding = pcap.findings[0]!;
    fireEvent.click(await screen.findByText(finding.title));
    const evidence = [...document.querySelectorAll(".evidence-links button")].map((b) => b.textContent);
    expect(evidence).toEqual(finding.evidence.slice(0, 30).map((i) => pcap.summaries[i]!.where));
    const last = finding.evidence.at(-1)!;
    fireEvent.click(screen.getAllByRole("button", { name: pcap.summaries[last]!.where })[0]!);
    await waitFor(() => expectPaneNames(pcap, last));
    expect(screen.getByTestId("message-pane").textContent).toMatch(/\d\d:\d\d:\d\d\.\d{6} UTC/);
  });

  it("draws a call's lanes along its own path, caller leftmost, not in the whole trace's order", async () => {
    const race = exampleParts("cancel-200-race.ngrep.txt");
    const call = race.details[1]!;
    const caller = call.messages[0]!.fromLane;
    // in the trace's order the proxy comes first and this caller last
    expect(race.overview.lanes.filter((l) => call.hosts.includes(l.id))[0]?.id).not.toBe(caller);
    openAnalysis(race);
    await waitFor(() => expect(screen.getAllByTestId("call-item").length).toBeGreaterThan(1));
    fireEvent.click(screen.getAllByTestId("call-item")[call.ordinal]!.querySelector(".call-main")!);
    await waitFor(() => expect(screen.getByTestId("ladder").dataset.rowCount).toBe(String(call.messages.length)));
    const path = [...new Set(call.messages.flatMap((m) => [m.fromLane, m.toLane]))];
    const names = new Map(call.lanes!.map((l) => [l.id, l.name]));
    expect([...screen.getByTestId("ladder").querySelectorAll(".lane-label")].map((b) => b.textContent)).toEqual(path.map((id) => names.get(id)));
  });
});

describe("MessagePane", () => {
  const hangup = exampleParts("caller-hangup.sngrep.txt");
  it("shows raw SIP as text, never as markup", () => {
    const message = { ...messageDetailOf(hangup, 0)!, raw: 'INVITE sip:x SIP/2.0\r\nSubject: <img src=x onerror="alert(1)"><script>alert(2)</script>\r\n\r\n' };
    const { container } = render(<MessagePane message={message} compare={null} onClose={() => {}} onClearCompare={() => {}} />);
    expect(container.querySelector("img, script")).toBeNull();
    expect(screen.getByTestId("raw-message").textContent).toBe(message.raw);
  });

  it("lists the parsed headers and diffs two messages side by side", () => {
    const cancel = hangup.summaries.find((m) => m.method === "CANCEL")!;
    render(<MessagePane message={messageDetailOf(hangup, 0)!} compare={messageDetailOf(hangup, cancel.index)!} onClose={() => {}} onClearCompare={() => {}} />);
    fireEvent.click(screen.getByRole("tab", { name: "Headers" }));
    expect(screen.getByRole("rowheader", { name: "Call-ID" })).toBeTruthy();
    fireEvent.click(screen.getByRole("tab", { name: `Diff with ${cancel.where}` }));
    const diff = screen.getByTestId("message-diff");
    expect(diff.querySelectorAll(".diff-changed").length).toBeGreaterThan(0);
    expect(diff.textContent).toMatch(/CSeq: \d+ CANCEL/);
  });
});

describe("the first look: 487s by cause, patterns first, summary formats", () => {
  const callsHeading = () => screen.getByRole("heading", { name: /^Calls/ }).textContent ?? "";
  const chips = () => screen.getAllByTestId("cause-chip");

  it("names the missing ACK as what decided the example's 487, not the caller's hang-up before it", async () => {
    const example = exampleParts("missing-ack.pcap");
    openAnalysis(example);
    await waitFor(() => expect(screen.getAllByTestId("call-item")).toHaveLength(1));
    // the one call opens whole: let it load before the test ends
    await waitFor(() => expect(screen.getByTestId("ladder").dataset.rowCount).toBe(String(example.details[0]!.messages.length)));
    expect(chips().map((c) => c.textContent)).toEqual(["Missing ACK 1"]);
    expect(chips()[0]!.className).toContain("cause-sev-error");
  });

  it("a cause chip filters the call list on the server to the calls whose 487s it decided; pressed again it shows every call", async () => {
    const trunk = partsOf(analyzerFixtureBytes("patterns/trunk-timer-60-calls.sngrep.txt"));
    const { calls } = openAnalysis(trunk);
    await waitFor(() => expect(screen.getAllByTestId("call-item").length).toBeGreaterThan(0));
    expect(callsHeading()).toBe("Calls 60");
    const chip = chips().find((c) => c.dataset.code === "caller-hangup")!;
    expect(chip.textContent).toBe("Caller hang-up 20");
    fireEvent.click(chip);
    await waitFor(() => expect(callsHeading()).toContain("20 of 60"));
    expect(callListRequests(calls).at(-1)?.url).toContain("cause=caller-hangup");
    expect(chip.getAttribute("aria-pressed")).toBe("true");
    expect(screen.getAllByTestId("call-item").every((item) => item.textContent?.includes("cancelled 487"))).toBe(true);
    expect(screen.getByTestId("call-filter-chips").textContent).toContain("487s decided by Caller hang-up");
    fireEvent.click(chip);
    await waitFor(() => expect(callsHeading()).toBe("Calls 60"));
    expect(chip.getAttribute("aria-pressed")).toBe("false");
  });

  it("lists the trace-wide patterns first; selecting one shows only the calls it covers, until its chip is removed", async () => {
    const trunk = partsOf(analyzerFixtureBytes("patterns/trunk-timer-60-calls.sngrep.txt"));
    const { calls } = openAnalysis(trunk);
    await waitFor(() => expect(screen.getAllByTestId("finding")).toHaveLength(trunk.findings.length));
    const codes = screen.getAllByTestId("finding").map((f) => f.dataset.code);
    expect(codes.slice(0, 5)).toEqual(Array(5).fill("timer-pattern"));
    expect(codes.slice(5).every((c) => c !== "timer-pattern")).toBe(true);
    const pattern = trunk.findings[0]!;
    fireEvent.click(within(screen.getAllByTestId("finding")[0]!).getByRole("button", { name: new RegExp(pattern.title) }));
    await waitFor(() => expect(callsHeading()).toContain(`${pattern.callIds.length} of 60`));
    expect(callListRequests(calls).at(-1)?.url).toContain(`pattern=${pattern.id}`);
    expect(
      screen
        .getAllByTestId("call-item")
        .map((item) => item.querySelector(".call-main")?.getAttribute("title"))
        .sort(),
    ).toEqual([...pattern.callIds].sort());
    fireEvent.click(screen.getByRole("button", { name: "Stop showing only the calls of this pattern" }));
    await waitFor(() => expect(callsHeading()).toBe("Calls 60"));
  });

  it("says up front that a tshark one-line summary has no full messages, with the command that exports one", async () => {
    openAnalysis(partsOf(analyzerFixtureBytes("summaries/missing-ack.tshark.txt")));
    const notice = await screen.findByTestId("summary-only");
    expect(within(notice).getByRole("heading").textContent).toBe("This tshark one-line summary has no full SIP messages");
    expect(notice.textContent).toContain("tshark -r capture.pcapng -Y sip -w sip-only.pcapng");
    await waitFor(() => expect(screen.getByText(/Nothing to diagnose/)).toBeTruthy());
    expect(screen.queryByText("No 487 or CANCEL problem found in this trace.")).toBeNull();
  });
});
