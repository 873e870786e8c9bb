import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import { findingCodeSchema, type Finding } from "@siplens/contracts";
import { renderAt } from "../test/render";
import { stubFetch } from "../test/fetchStub";
import { FindingsPanel } from "../analysis/FindingsPanel";
import { HelpDialog } from "../analysis/HelpDialog";
import { GUIDE, type FixtureName } from "./entries";
import { guideExample } from "./example";
import { fixtureUrl } from "./fixtures";
import { GuideCodePage, GuideIndexPage } from "./GuidePages";

/** Vitest runs from apps/web: where each fixture folder is on disk. */
const FOLDERS: Record<string, string> = {
  examples: join(process.cwd(), "public/examples"),
  diagnosis: join(process.cwd(), "../../packages/analysis/test/fixtures/diagnosis"),
};
function fixtureBytes(name: FixtureName): Uint8Array {
  const [folder, file] = name.split("/") as [string, string];
  return new Uint8Array(readFileSync(join(FOLDERS[folder]!, file)));
}
/** Serves the guide's fixture URLs from disk, as the built app serves them from its assets. */
function serveFixtures() {
  const byUrl = new Map<string, FixtureName>();
  for (const entry of Object.values(GUIDE)) if (entry.example) byUrl.set(fixtureUrl(entry.example.fixture)!, entry.example.fixture);
  return stubFetch((url) => {
    const name = byUrl.get(url);
    if (!name) return new Response(null, { status: 404 });
    return new Response(fixtureBytes(name) as BodyInit, { status: 200 });
  });
}

const withExample = findingCodeSchema.options;

describe("guide entries", () => {
  it("has an entry for every finding code, with every section written", () => {
    for (const code of findingCodeSchema.options) {
      const entry = GUIDE[code];
      expect(entry?.code, code).toBe(code);
      for (const part of [entry.meaning, entry.ladder, entry.why, entry.checkNext, entry.rfc]) expect(part.length, code).toBeGreaterThan(0);
      for (const r of entry.rfc) expect(r.ref, code).toMatch(/^RFC \d+( §[\d.]+)?$/);
    }
    expect(Object.keys(GUIDE).sort()).toEqual([...findingCodeSchema.options].sort());
  });

  it("has an example trace in the build for every code", () => {
    for (const code of findingCodeSchema.options) {
      const example = GUIDE[code].example;
      expect(fixtureUrl(example.fixture), `${code}: ${example.fixture} is not in the build`).toBeDefined();
    }
  });

  it.each(withExample)("%s: the analyzer finds it on the example call, as the entry describes it", (code) => {
    const example = GUIDE[code].example;
    const data = guideExample(fixtureBytes(example.fixture), code, example.callId);
    expect(data, `${example.fixture} ${example.callId} gives no ${code}`).toBeDefined();
    const { finding, messages, callIds } = data!;
    expect(finding.code).toBe(code);
    expect(callIds[0]).toBe(example.callId);
    // The ladder draws the evidence: every drawn call's messages, and evidence rows among them.
    const drawn = new Set(messages.map((m) => m.index));
    expect(finding.evidence.some((i) => drawn.has(i))).toBe(true);
    expect(messages.every((m) => callIds.includes(m.callId))).toBe(true);
    // The page cites what the rule cites, and names the severity the rule gave.
    const refs = GUIDE[code].rfc.map((r) => r.ref);
    for (const ref of finding.rfc) expect(refs, `${code} cites ${ref}`).toContain(ref);
    expect(GUIDE[code].severity).toContain(finding.severity);
  });
});

describe("guide pages", () => {
  it("draws the example ladder with the finding's evidence highlighted", async () => {
    const calls = serveFixtures();
    const { container } = renderAt("/guide/late-cancel", [{ path: "/guide/:code", element: <GuideCodePage /> }]);
    expect(screen.getByRole("heading", { level: 1, name: /Late CANCEL/ })).toBeTruthy();
    for (const name of ["What it means", "How it looks on a ladder", "Why it happens", "What to check next", "RFC sections"]) {
      expect(screen.getByRole("heading", { level: 2, name })).toBeTruthy();
    }
    const ladder = await screen.findByTestId("ladder");
    const example = GUIDE["late-cancel"].example;
    const expected = guideExample(fixtureBytes(example.fixture), "late-cancel", example.callId)!;
    expect(ladder.getAttribute("data-row-count")).toBe(String(expected.messages.length));
    await waitFor(() => expect(container.querySelectorAll(".lrow.evidence").length).toBeGreaterThan(0));
    const highlighted = [...container.querySelectorAll(".lrow.evidence")].map((row) => Number(row.getAttribute("data-index")));
    expect(highlighted.sort((a, b) => a - b)).toEqual([...expected.finding.evidence].sort((a, b) => a - b));
    expect(within(ladder).getByText("481 Call/Transaction Does Not Exist (CANCEL)")).toBeTruthy();
    expect(calls.map((c) => c.url)).toEqual([fixtureUrl(example.fixture)]);
    expect(screen.getByRole("link", { name: "RFC 3261 §9.1" }).getAttribute("href")).toBe("https://www.rfc-editor.org/rfc/rfc3261#section-9.1");
  });

  it("answers an unknown code with a not-found page that leads to the index", () => {
    renderAt("/guide/no-such-thing", [{ path: "/guide/:code", element: <GuideCodePage /> }]);
    expect(screen.getByRole("heading", { level: 1, name: "No such finding" })).toBeTruthy();
    expect(screen.getByText("no-such-thing")).toBeTruthy();
    expect(screen.getByRole("link", { name: /every finding/ }).getAttribute("href")).toBe("/guide");
  });

  it("indexes every code with a link to its page", () => {
    renderAt("/guide", [{ path: "/guide", element: <GuideIndexPage /> }]);
    const hrefs = screen.getAllByRole("link").map((a) => a.getAttribute("href"));
    for (const code of findingCodeSchema.options) expect(hrefs).toContain(`/guide/${code}`);
  });
});

describe("links into the guide", () => {
  it("every finding in the findings panel links to its guide page", () => {
    const example = GUIDE["missing-ack"].example;
    const finding: Finding = guideExample(fixtureBytes(example.fixture), "missing-ack", example.callId)!.finding;
    renderAt("/a/x", [
      {
        path: "/a/:id",
        element: <FindingsPanel findings={[finding]} total={1} selected={finding} onSelect={() => {}} onShowMessage={() => {}} emptyText="none" />,
      },
    ]);
    expect(screen.getByRole("link", { name: /What “Missing ACK” means/ }).getAttribute("href")).toBe("/guide/missing-ack");
  });

  it("the help dialog links to the guide index", () => {
    renderAt("/a/x", [{ path: "/a/:id", element: <HelpDialog onClose={() => {}} /> }]);
    expect(screen.getByRole("link", { name: "Finding guide" }).getAttribute("href")).toBe("/guide");
  });
});
