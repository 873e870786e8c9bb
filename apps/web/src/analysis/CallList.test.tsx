import { afterEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { AnalysisPage } from "../pages/AnalysisPage";
import { analysisDetailOf, exampleParts } from "../test/corpus";
import { stubFetch } from "../test/fetchStub";
import { partsServer } from "../test/partsServer";
import { jsonResponse, renderAt } from "../test/render";

afterEach(() => vi.unstubAllGlobals());

const race = exampleParts("cancel-200-race.ngrep.txt");

/** The analysis page on a real trace of many calls, its calls served `pageSize` at a time. */
function openRace(pageSize?: number) {
  const serve = partsServer(race, "/api/analyses/race", { pageSize });
  const calls = stubFetch((url) => {
    if (url === "/api/me") return jsonResponse(200, { user: null });
    if (url === "/api/analyses/race") return jsonResponse(200, analysisDetailOf(race, "race"));
    return serve(url) ?? jsonResponse(404, { error: "not-found", message: "Not found." });
  });
  renderAt("/a/race", [{ path: "/a/:id", element: <AnalysisPage /> }]);
  return calls;
}

const callList = () => screen.getByRole("list", { name: /^Call list/ });
/** What Tab can reach inside the call list. */
const tabStops = () => [...callList().querySelectorAll<HTMLElement>("button, input")].filter((el) => el.tabIndex >= 0);
const rowOf = (el: Element | null) => Number(el?.closest<HTMLElement>("[data-index]")?.dataset.index);
const key = (name: string) => act(() => void fireEvent.keyDown(document.activeElement!, { key: name }));

describe("call list keyboard", () => {
  it("is one tab stop; arrows, Home and End move between calls, Left/Right between a row's controls", async () => {
    openRace();
    await waitFor(() => expect(screen.getAllByTestId("call-item")).toHaveLength(race.overview.callCount));
    expect(race.overview.callCount).toBeGreaterThan(3);
    expect(tabStops()).toHaveLength(1);
    act(() => tabStops()[0]!.focus());
    expect(rowOf(document.activeElement)).toBe(0);
    key("ArrowDown");
    key("ArrowDown");
    await waitFor(() => expect(rowOf(document.activeElement)).toBe(2));
    expect(tabStops()).toEqual([document.activeElement]);
    key("ArrowUp");
    await waitFor(() => expect(rowOf(document.activeElement)).toBe(1));
    key("End");
    await waitFor(() => expect(rowOf(document.activeElement)).toBe(race.overview.callCount - 1));
    key("Home");
    await waitFor(() => expect(rowOf(document.activeElement)).toBe(0));
    key("ArrowLeft");
    await waitFor(() => expect((document.activeElement as HTMLInputElement).type).toBe("checkbox"));
    expect(tabStops()).toEqual([document.activeElement]);
    key("ArrowRight");
    await waitFor(() => expect(document.activeElement?.classList.contains("call-main")).toBe(true));
    // the message keys of the page (↑/↓ step through the ladder) stay out of the list
    expect(screen.queryByTestId("message-pane")).toBeNull();
  });

  it("Enter on a row shows that call alone; Space on its checkbox adds it to the ladder", async () => {
    const calls = openRace();
    await waitFor(() => expect(screen.getAllByTestId("call-item")).toHaveLength(race.overview.callCount));
    act(() => tabStops()[0]!.focus());
    key("ArrowDown");
    await waitFor(() => expect(rowOf(document.activeElement)).toBe(1));
    const second = race.details[1]!;
    // a focused button's Enter is its click
    act(() => (document.activeElement as HTMLButtonElement).click());
    await waitFor(() => expect(screen.getByTestId("ladder").dataset.rowCount).toBe(String(second.messages.length)));
    expect(document.activeElement?.getAttribute("aria-pressed")).toBe("true");
    key("ArrowDown");
    key("ArrowLeft");
    await waitFor(() => expect(rowOf(document.activeElement)).toBe(2));
    act(() => (document.activeElement as HTMLInputElement).click());
    const third = race.details[2]!;
    await waitFor(() => expect(screen.getByTestId("ladder").dataset.rowCount).toBe(String(second.messages.length + third.messages.length)));
    expect(calls.filter((c) => /\/calls\/\d+$/.test(c.url)).map((c) => c.url)).toEqual([
      `/api/analyses/race/calls/${second.ordinal}`,
      `/api/analyses/race/calls/${third.ordinal}`,
    ]);
  });

  it("walks on across pages of calls (two a page) and stops at the last, keeping one tab stop", async () => {
    const calls = openRace(2);
    await waitFor(() => expect(screen.getAllByTestId("call-item").length).toBeGreaterThanOrEqual(2));
    act(() => tabStops()[0]!.focus());
    for (let i = 1; i < race.overview.callCount; i++) {
      key("ArrowDown");
      await waitFor(() => expect(rowOf(document.activeElement)).toBe(i));
    }
    key("ArrowDown");
    expect(rowOf(document.activeElement)).toBe(race.overview.callCount - 1);
    const cursors = calls
      .filter((c) => new URL(c.url, "http://t").pathname.endsWith("/calls"))
      .map((c) => new URL(c.url, "http://t").searchParams.get("cursor"));
    expect(cursors.length).toBe(Math.ceil(race.overview.callCount / 2));
    expect(tabStops()).toHaveLength(1);
  });
});
