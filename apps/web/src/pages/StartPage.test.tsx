import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { StartPage } from "./StartPage";
import { jsonResponse, renderAt } from "../test/render";
import { stubFetch } from "../test/fetchStub";
import { analysisDetailOf, exampleParts } from "../test/corpus";

afterEach(() => vi.unstubAllGlobals());

/** A paste whose POST answers 202 with job j1, each poll of it answered by `poll` (its number from 1). */
function pasteFollowingJob(poll: (n: number) => Response) {
  let polls = 0;
  stubFetch((url) => {
    if (url.startsWith("/examples")) return jsonResponse(200, { examples: [] });
    if (url === "/api/analyses") return jsonResponse(202, { job: { id: "j1", status: "queued", bytesRead: 0 } });
    return poll(++polls);
  });
  const rendered = renderAt("/", [
    { path: "/", element: <StartPage /> },
    { path: "/a/:id", element: <p>analysis page</p> },
  ]);
  fireEvent.change(screen.getByLabelText("Paste a trace"), { target: { value: "INVITE sip:a SIP/2.0\r\n\r\n" } });
  fireEvent.click(screen.getByRole("button", { name: "Analyse" }));
  return { ...rendered, polls: () => polls };
}

describe("StartPage", () => {
  it("shows the server's reason and the understood formats when the input is not a trace", async () => {
    stubFetch((url) =>
      url.startsWith("/examples")
        ? jsonResponse(200, { examples: [] })
        : jsonResponse(422, {
            error: "not-a-trace",
            message: 'No SIP message found in 17 bytes of text (line 1: "hello hello hello").',
            tried: ["pcap", "sngrep"],
          }),
    );
    renderAt("/", [{ path: "/", element: <StartPage /> }]);
    fireEvent.change(screen.getByLabelText("Paste a trace"), { target: { value: "hello hello hello" } });
    fireEvent.click(screen.getByRole("button", { name: "Analyse" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("No SIP message found in 17 bytes");
    expect(alert.textContent).toContain("pcap / pcapng");
    expect(alert.textContent).toContain("Tried: pcap, sngrep.");
  });

  it("posts the pasted text and opens the analysis", async () => {
    const detail = analysisDetailOf(exampleParts("caller-hangup.sngrep.txt"), "an1");
    const calls = stubFetch((url) => (url.startsWith("/examples") ? jsonResponse(200, { examples: [] }) : jsonResponse(201, detail)));
    const { router } = renderAt("/", [
      { path: "/", element: <StartPage /> },
      { path: "/a/:id", element: <p>analysis page</p> },
    ]);
    fireEvent.change(screen.getByLabelText("Paste a trace"), { target: { value: "INVITE sip:a SIP/2.0\r\n\r\n" } });
    fireEvent.click(screen.getByRole("button", { name: "Analyse" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/a/an1"));
    const post = calls.find((c) => c.url === "/api/analyses");
    expect(post?.body).toEqual({ text: "INVITE sip:a SIP/2.0\r\n\r\n" });
  });

  it("polls a job until the analysis is ready", async () => {
    let polls = 0;
    stubFetch((url) => {
      if (url.startsWith("/examples")) return jsonResponse(200, { examples: [] });
      if (url === "/api/analyses") return jsonResponse(202, { job: { id: "j1", status: "queued", bytesRead: 0 } });
      polls++;
      return jsonResponse(
        200,
        polls < 2
          ? { id: "j1", status: "running", bytesRead: 10, totalBytes: 20 }
          : { id: "j1", status: "done", bytesRead: 20, totalBytes: 20, analysisId: "an2" },
      );
    });
    const { router } = renderAt("/", [
      { path: "/", element: <StartPage /> },
      { path: "/a/:id", element: <p>analysis page</p> },
    ]);
    fireEvent.change(screen.getByLabelText("Paste a trace"), { target: { value: "INVITE sip:a SIP/2.0\r\n\r\n" } });
    fireEvent.click(screen.getByRole("button", { name: "Analyse" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/a/an2"), { timeout: 5000 });
    expect(polls).toBe(2);
  });

  it("keeps polling through polls that got no answer (the job runs on in the server)", async () => {
    const { router, polls } = pasteFollowingJob((n) => {
      if (n === 1) throw new TypeError("network error");
      if (n === 2) return jsonResponse(503, { error: "database-unavailable", message: "the database is unavailable; try again shortly" });
      return jsonResponse(200, { id: "j1", status: "done", bytesRead: 20, totalBytes: 20, analysisId: "an3" });
    });
    await waitFor(() => expect(router.state.location.pathname).toBe("/a/an3"), { timeout: 5000 });
    expect(polls()).toBe(3);
  });

  it("shows the server's answer about the job as it is: a missing job is not asked again", async () => {
    const { polls } = pasteFollowingJob(() => jsonResponse(404, { error: "not-found", message: "no such job" }));
    expect((await screen.findByRole("alert")).textContent).toContain("no such job");
    expect(polls()).toBe(1);
  });

  it("says the analysis may still finish when the server stops answering its polls", async () => {
    pasteFollowingJob(() => {
      throw new TypeError("network error");
    });
    expect((await screen.findByRole("alert", {}, { timeout: 10_000 })).textContent).toContain("It may still finish");
  }, 15_000);
});

describe("StartPage server failures", () => {
  it("says a failed job is the server's problem, not the input's", async () => {
    stubFetch((url) => {
      if (url.startsWith("/examples")) return jsonResponse(200, { examples: [] });
      if (url === "/api/analyses") return jsonResponse(202, { job: { id: "j1", status: "queued", bytesRead: 0 } });
      return jsonResponse(200, { id: "j1", status: "failed", bytesRead: 5, error: { error: "analysis-failed", message: "the analysis stopped unexpectedly" } });
    });
    renderAt("/", [{ path: "/", element: <StartPage /> }]);
    fireEvent.change(screen.getByLabelText("Paste a trace"), { target: { value: "INVITE sip:a SIP/2.0\r\n\r\n" } });
    fireEvent.click(screen.getByRole("button", { name: "Analyse" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The analysis failed on the server.");
    expect(alert.textContent).toContain("the analysis stopped unexpectedly");
    expect(alert.textContent).not.toContain("Understood formats");
  });
});
