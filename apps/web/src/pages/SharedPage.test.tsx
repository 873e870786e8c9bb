import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import { SharedPage } from "./SharedPage";
import { correlationFixtureBytes, partsOf, type ExampleParts } from "../test/corpus";
import { stubFetch } from "../test/fetchStub";
import { partsServer } from "../test/partsServer";
import { jsonResponse, renderAt } from "../test/render";

afterEach(() => vi.unstubAllGlobals());

const sbc = partsOf(correlationFixtureBytes("heuristic-two-calls.pcap"));

/** What a link to one correlated call serves: its two legs, their messages and findings; the whole-trace window is 404. */
function oneCallOf(parts: ExampleParts, groupId: string): ExampleParts {
  const callRows = parts.callRows.filter((c) => c.group?.id === groupId);
  const callIds = new Set(callRows.map((c) => c.callId));
  const details = parts.details.map((d) => (callIds.has(d.callId) ? d : undefined)) as ExampleParts["details"];
  const messageCount = details.reduce((n, d) => n + (d?.messages.length ?? 0), 0);
  return {
    ...parts,
    callRows,
    details,
    findings: parts.findings.filter((f) => f.callIds.every((id) => callIds.has(id))),
    overview: { ...parts.overview, callCount: callRows.length, messageCount, traceFindings: [] },
  };
}

describe("a shared link to one call", () => {
  it("opens on that call's legs, never asks for the whole trace, and says it shows one call", async () => {
    const call = oneCallOf(sbc, "g1");
    expect(call.callRows).toHaveLength(2);
    const serve = partsServer(call, "/api/shared/tok");
    const calls = stubFetch((url) => {
      if (url === "/api/me") return jsonResponse(200, { user: null });
      if (url === "/api/shared/tok") {
        return jsonResponse(200, {
          title: "two calls",
          sharedAt: new Date().toISOString(),
          expiresAt: null,
          focusFindingId: null,
          focusMessageIndex: null,
          redacted: false,
          scope: "call",
          overview: call.overview,
        });
      }
      if (url.includes("/window")) return jsonResponse(404, { error: "not-found", message: "Not found: part of this link (it shares one call)" });
      return serve(url) ?? jsonResponse(404, { error: "not-found", message: "Not found." });
    });
    renderAt("/s/tok", [{ path: "/s/:token", element: <SharedPage /> }]);
    expect((await screen.findByRole("note")).textContent).toContain("one call of the trace, nothing of the other calls.");
    await waitFor(() => expect(screen.getByTestId("ladder").dataset.rowCount).toBe(String(call.overview.messageCount)));
    expect(calls.some((c) => c.url.includes("/window"))).toBe(false);
    expect(screen.queryByRole("button", { name: "Whole trace" })).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("a redacted link to one call opens on its focused finding (no search by Call-ID, which a redacted link refuses)", async () => {
    const call = oneCallOf(sbc, "g1");
    const finding = call.findings[0]!;
    const serve = partsServer(call, "/api/shared/tok");
    const calls = stubFetch((url) => {
      if (url === "/api/me") return jsonResponse(200, { user: null });
      if (url === "/api/shared/tok") {
        return jsonResponse(200, {
          title: "two calls",
          sharedAt: new Date().toISOString(),
          expiresAt: null,
          focusFindingId: finding.id,
          focusMessageIndex: null,
          redacted: true,
          scope: "call",
          overview: call.overview,
        });
      }
      if (url.includes("/window")) return jsonResponse(404, { error: "not-found", message: "Not found: part of this link (it shares one call)" });
      if (url.includes("q=")) return jsonResponse(400, { error: "bad-request", message: "search is not available on a redacted share" });
      return serve(url) ?? jsonResponse(404, { error: "not-found", message: "Not found." });
    });
    const { container } = renderAt("/s/tok", [{ path: "/s/:token", element: <SharedPage /> }]);
    await waitFor(() => expect(screen.getByTestId("ladder").dataset.rowCount).toBe(String(call.overview.messageCount)));
    await waitFor(() => expect(container.querySelector(`[data-finding-id="${finding.id}"]`)?.classList.contains("selected")).toBe(true));
    await waitFor(() => expect(container.querySelectorAll(".lrow.evidence").length).toBeGreaterThan(0));
    expect(calls.some((c) => c.url.includes("/window"))).toBe(false);
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
