import { readFileSync } from "node:fs";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** The corpus traces the start page offers as examples (real SIPp/Kamailio traffic). */
const examples = fileURLToPath(new URL("../../apps/web/public/examples/", import.meta.url));
export const example = (file: string): Buffer => readFileSync(`${examples}${file}`);
export const exampleText = (file: string): string => example(file).toString("utf8");

const shots = fileURLToPath(new URL("../test-results/screenshots/", import.meta.url));
/** Screenshots of the main pages, kept as CI artifacts. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}${name}.png`, fullPage: false });
}

/** No serious or critical accessibility violation (WCAG 2.1 A/AA rules). */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = bad.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(" "))
        .join(" | ")}`,
  );
  expect(report, `axe on ${what}`).toEqual([]);
}

/** Pastes a trace on the start page and waits for its analysis page. */
export async function pasteTrace(page: Page, text: string): Promise<string> {
  await page.goto("/");
  await page.getByLabel("Paste a trace").fill(text);
  await page.getByRole("button", { name: "Analyse" }).click();
  await page.waitForURL(/\/a\/[^/]+$/);
  await expect(page.getByTestId("ladder")).toBeVisible();
  return new URL(page.url()).pathname.split("/").pop() ?? "";
}

export const uniqueEmail = (tag: string) => `${tag}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@e2e.siplens.test`;
