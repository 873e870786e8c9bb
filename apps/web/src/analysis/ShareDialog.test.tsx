import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import type { Finding } from "@siplens/contracts";
import { ShareDialog } from "./ShareDialog";
import { exampleParts, type ExampleParts } from "../test/corpus";
import { stubFetch } from "../test/fetchStub";
import { partsServer } from "../test/partsServer";
import { jsonResponse, renderAt } from "../test/render";

afterEach(() => vi.unstubAllGlobals());

const race = exampleParts("cancel-200-race.ngrep.txt");

/** The dialog over a real trace's parts; links are created and listed by a stub that echoes the request. */
function openDialog(parts: ExampleParts, focusFinding: Finding | null) {
  const serve = partsServer(parts, "/api/analyses/an1");
  const now = new Date().toISOString();
  const calls = stubFetch((url, method, body) => {
    const b = (body ?? {}) as { scopeCallOrdinal?: number };
    const share = {
      id: "s1",
      analysisId: "an1",
      createdAt: now,
      expiresAt: null,
      revokedAt: null,
      views: 0,
      redact: true,
      focusFindingId: null,
      focusMessageIndex: null,
    };
    const scope =
      b.scopeCallOrdinal === undefined ? { scope: "trace", scopeCallIds: [] } : { scope: "call", scopeCallIds: [parts.callRows[b.scopeCallOrdinal]!.callId] };
    if (method === "POST") return jsonResponse(201, { ...share, ...scope, token: "tok", url: "/s/tok" });
    if (url === "/api/analyses/an1/shares") return jsonResponse(200, { items: [] });
    return serve(url) ?? jsonResponse(404, { error: "not-found", message: "Not found." });
  });
  renderAt("/", [{ path: "/", element: <ShareDialog analysisId="an1" callCount={parts.overview.callCount} focusFinding={focusFinding} onClose={() => {}} /> }]);
  return calls;
}

const says = () => screen.getByTestId("share-scope-says").textContent;
const posted = (calls: ReturnType<typeof stubFetch>) => calls.filter((c) => c.method === "POST").map((c) => c.body);

describe("ShareDialog says what the link shares", () => {
  it("with a finding of one call focused, 'this call only' is the default and the link is scoped to that call", async () => {
    const finding = race.findings.find((f) => f.callIds.length === 1)!;
    const call = race.callRows.find((c) => c.callId === finding.callIds[0])!;
    const calls = openDialog(race, finding);
    const only = await screen.findByRole("radio", { name: /^This call only/ });
    expect((only as HTMLInputElement).checked).toBe(true);
    expect(says()).toBe("The link shows this call only: its messages and findings, nothing of the other calls.");
    fireEvent.click(screen.getByRole("button", { name: "Create link" }));
    await screen.findByTestId("share-url");
    expect(posted(calls)).toEqual([{ focusFindingId: finding.id, expiresInDays: 7, redact: true, shiftTimes: true, scopeCallOrdinal: call.ordinal }]);
  });

  it("'whole trace' shares everything and says so", async () => {
    const finding = race.findings.find((f) => f.callIds.length === 1)!;
    const calls = openDialog(race, finding);
    await screen.findByRole("radio", { name: /^This call only/ });
    fireEvent.click(screen.getByRole("radio", { name: /^Whole trace/ }));
    expect(says()).toBe(`The link shows the whole trace: all ${race.overview.callCount} calls, every message and finding.`);
    fireEvent.click(screen.getByRole("button", { name: "Create link" }));
    await screen.findByTestId("share-url");
    expect(posted(calls)).toEqual([{ focusFindingId: finding.id, expiresInDays: 7, redact: true, shiftTimes: true }]);
  });

  it("without a focused finding only the whole trace is offered", async () => {
    const calls = openDialog(race, null);
    expect(screen.queryByRole("radio", { name: /^This call only/ })).toBeNull();
    expect(screen.getByRole<HTMLInputElement>("radio", { name: /^Whole trace/ }).checked).toBe(true);
    expect(says()).toContain("the whole trace");
    fireEvent.click(screen.getByRole("button", { name: "Create link" }));
    await waitFor(() => expect(posted(calls)).toEqual([{ expiresInDays: 7, redact: true, shiftTimes: true }]));
  });
});
