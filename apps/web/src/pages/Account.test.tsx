import { afterEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import type { AnalysisSummary } from "@siplens/contracts";
import { routes } from "../app/router";
import { analysisDetailOf, exampleParts } from "../test/corpus";
import { stubFetch } from "../test/fetchStub";
import { partsServer } from "../test/partsServer";
import { jsonResponse, renderAt } from "../test/render";

afterEach(() => vi.unstubAllGlobals());

const user = { id: "u1", email: "erin@example.test", name: "Erin" };
const hangup = exampleParts("caller-hangup.sngrep.txt");
const saved = analysisDetailOf(hangup, "an1", { title: "Carrier X cancels", note: "ticket 4711", saved: true, expiresAt: null });
const { overview: _overview, ...meta } = saved;
const summary: AnalysisSummary = { ...meta, findingCodes: hangup.findings.map((f) => f.code) };
const notFound = () => jsonResponse(404, { error: "not-found", message: "Not found." });

/** The API of one account holding analysis an1: signed in or out, with the parts of a real trace. */
function accountServer(options: { signedIn: boolean; patch?: (body: unknown) => Response }) {
  const state = { signedIn: options.signedIn };
  const parts = partsServer(hangup, "/api/analyses/an1");
  const calls = stubFetch((url, method, body) => {
    if (url === "/api/me") return jsonResponse(200, { user: state.signedIn ? user : null });
    if (url === "/api/auth/sign-out") {
      state.signedIn = false;
      return jsonResponse(200, { success: true });
    }
    if (!state.signedIn) return notFound();
    if (url === "/api/analyses/an1" && method === "PATCH") return options.patch?.(body) ?? jsonResponse(200, { ...summary, ...(body as object) });
    if (url === "/api/analyses/an1") return jsonResponse(200, saved);
    if (url.startsWith("/api/analyses?")) return jsonResponse(200, { items: [summary], nextCursor: null });
    return parts(url) ?? notFound();
  });
  return { calls, state };
}

/** Signs in on the sign-in page and waits for the page it leads to. */
async function signInTo(next: string) {
  const { router } = renderAt(`/sign-in?next=${encodeURIComponent(next)}`, routes);
  fireEvent.change(await screen.findByLabelText("Email"), { target: { value: user.email } });
  fireEvent.change(screen.getByLabelText("Password"), { target: { value: "long enough" } });
  fireEvent.submit(screen.getByRole("button", { name: "Sign in" }).closest("form")!);
  await waitFor(() => expect(router.state.location.pathname).toBe(next));
}

describe("account caches", () => {
  it("signing out forgets the owner's analysis: opening it again shows no owner controls", async () => {
    accountServer({ signedIn: true });
    const { router } = renderAt("/a/an1", routes);
    expect(await screen.findByRole("button", { name: "Share…" })).toBeTruthy();
    fireEvent.click(await screen.findByRole("button", { name: "Sign out" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/"));
    await waitFor(() => expect(screen.getByRole("link", { name: "Sign in" })).toBeTruthy());
    await act(() => router.navigate("/a/an1"));
    expect(await screen.findByText("This analysis does not exist any more.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Share…" })).toBeNull();
    expect(screen.queryByLabelText("Note")).toBeNull();
  });

  it("sign-in says how many of this browser's analyses moved into the account", async () => {
    const state = { signedIn: false };
    stubFetch((url) => {
      if (url === "/api/me") return jsonResponse(200, { user: state.signedIn ? user : null });
      if (url === "/api/auth/sign-in/email") {
        state.signedIn = true;
        return jsonResponse(200, { user, token: "t", claimedAnalyses: 3 });
      }
      if (url.startsWith("/api/analyses?")) return jsonResponse(200, { items: [summary], nextCursor: null });
      return notFound();
    });
    await signInTo("/analyses");
    expect((await screen.findByTestId("claim-notice")).textContent).toBe("3 analyses moved into your account.");
    expect(await screen.findByRole("heading", { name: "My analyses" })).toBeTruthy();
  });

  it("sign-in that moved nothing says nothing about moving", async () => {
    stubFetch((url) => {
      if (url === "/api/me") return jsonResponse(200, { user });
      if (url === "/api/auth/sign-in/email") return jsonResponse(200, { user, token: "t", claimedAnalyses: 0 });
      if (url.startsWith("/api/analyses?")) return jsonResponse(200, { items: [], nextCursor: null });
      return notFound();
    });
    await signInTo("/analyses");
    expect(await screen.findByText(/Nothing saved yet/)).toBeTruthy();
    expect(screen.queryByTestId("claim-notice")).toBeNull();
  });

  it("a rename shows the server's answer without reading the analysis again", async () => {
    const { calls } = accountServer({ signedIn: true });
    renderAt("/a/an1", routes);
    fireEvent.click(await screen.findByRole("button", { name: "Rename analysis" }));
    fireEvent.change(screen.getByLabelText("Analysis title"), { target: { value: "Carrier Y" } });
    fireEvent.submit(screen.getByLabelText("Analysis title").closest("form")!);
    expect(await screen.findByRole("heading", { name: /Carrier Y/ })).toBeTruthy();
    expect(calls.find((c) => c.method === "PATCH")?.body).toEqual({ title: "Carrier Y" });
    expect(calls.filter((c) => c.url === "/api/analyses/an1" && c.method === "GET")).toHaveLength(1);
  });
});

describe("notes", () => {
  it("My analyses shows each note and saves an edit when the field is left", async () => {
    const { calls } = accountServer({ signedIn: true });
    renderAt("/analyses", routes);
    const note = await screen.findByLabelText<HTMLTextAreaElement>("Note on Carrier X cancels");
    expect(note.value).toBe("ticket 4711");
    fireEvent.change(note, { target: { value: "ticket 4711: carrier confirms timer B" } });
    fireEvent.blur(note);
    await waitFor(() => expect(calls.filter((c) => c.method === "PATCH").map((c) => c.body)).toEqual([{ note: "ticket 4711: carrier confirms timer B" }]));
    expect(await screen.findByText("Saved")).toBeTruthy();
    // leaving it again unchanged sends nothing
    fireEvent.blur(note);
    expect(calls.filter((c) => c.method === "PATCH")).toHaveLength(1);
  });

  it("the analysis page saves the note on Enter and keeps the text with a clear error when saving fails", async () => {
    const { calls } = accountServer({
      signedIn: true,
      patch: () => jsonResponse(400, { error: "bad-request", message: "note must be at most 10000 characters" }),
    });
    renderAt("/a/an1", routes);
    const note = await screen.findByLabelText<HTMLTextAreaElement>("Note");
    expect(note.value).toBe("ticket 4711");
    fireEvent.change(note, { target: { value: "escalated" } });
    fireEvent.keyDown(note, { key: "Enter" });
    expect((await screen.findByRole("alert")).textContent).toBe("The note was not saved. note must be at most 10000 characters");
    expect(note.value).toBe("escalated");
    expect(note.getAttribute("aria-invalid")).toBe("true");
    expect(calls.filter((c) => c.method === "PATCH").map((c) => c.body)).toEqual([{ note: "escalated" }]);
  });
});
