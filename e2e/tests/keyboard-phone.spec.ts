import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { writeBigCapture } from "./big-capture.js";
import { exampleText, expectAccessible, pasteTrace, uniqueEmail } from "./helpers.js";

/** Presses Tab until `done` holds for the focused element; answers how many presses it took. */
async function tabUntil(page: Page, done: () => Promise<boolean>, most: number): Promise<number> {
  for (let presses = 1; presses <= most; presses++) {
    await page.keyboard.press("Tab");
    if (await done()) return presses;
  }
  throw new Error(`not reached in ${most} Tab presses`);
}

const focusedIs = (page: Page, selector: string) => () => page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);

test("keyboard only: from the start page to an example's analysis, through its calls, to a finding", async ({ page }) => {
  await page.goto("/");
  await tabUntil(page, () => page.evaluate(() => document.activeElement?.textContent?.includes("CANCEL / 200 OK races") ?? false), 40);
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/a\/[^/]+$/);
  await expect(page.getByTestId("call-item").first()).toBeVisible();

  // the call list is one tab stop: the next Tab after it leaves it
  await tabUntil(page, focusedIs(page, ".call-main"), 40);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await expect(page.locator(".call-item[data-index='2'] .call-main")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator(".call-item[data-index='2']")).toHaveClass(/only/);
  const findings = page.getByTestId("finding");
  await expect(findings.first()).toBeVisible();
  const presses = await tabUntil(page, focusedIs(page, ".finding-head"), 40);
  expect(presses).toBeLessThan(25);
  await page.keyboard.press("Enter");
  await expect(findings.first()).toHaveClass(/selected/);
  await expect(page.getByTestId("message-pane")).toBeVisible();
});

test("on a capture of thousands of calls, the call list is passed with one Tab", async ({ page }) => {
  test.setTimeout(300_000);
  const dir = mkdtempSync(path.join(tmpdir(), "siplens-e2e-keys-"));
  try {
    const file = path.join(dir, "trunk.pcap");
    const capture = writeBigCapture(file, 12_000);
    expect(capture.calls).toBeGreaterThanOrEqual(2000);
    await page.goto("/");
    await page.getByTestId("file-input").setInputFiles(file);
    await page.waitForURL(/\/a\/[^/]+$/, { timeout: 240_000 });
    await expect(page.getByTestId("call-item").first()).toBeVisible({ timeout: 60_000 });
    await page.getByLabel("Search calls by number, Call-ID or host").focus();
    await tabUntil(page, focusedIs(page, ".call-main"), 10);
    await page.keyboard.press("PageDown");
    await page.keyboard.press("End");
    await expect(page.locator(".call-item .call-main:focus")).toHaveCount(1);
    const row = Number(await page.evaluate(() => document.activeElement?.closest<HTMLElement>("[data-index]")?.dataset.index));
    expect(row).toBeGreaterThanOrEqual(99);
    // out of the list with one more Tab (or two: past "Load more"), not thousands
    const out = await tabUntil(page, () => page.evaluate(() => !document.activeElement?.closest(".call-items")), 3);
    expect(out).toBe(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The page fits a phone's width: nothing scrolls sideways, and axe finds nothing serious. */
async function expectPhoneFit(page: Page, what: string) {
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wider = [...document.querySelectorAll<HTMLElement>("body *")]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && getComputedStyle(el).position !== "fixed" && !el.closest(".visually-hidden"))
      .filter(
        (el) =>
          ![...document.querySelectorAll<HTMLElement>("body *")].some(
            (p) => p !== el && p.contains(el) && getComputedStyle(p).overflowX !== "visible" && p.getBoundingClientRect().right <= width + 1,
          ),
      )
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    return { scrollWidth: document.documentElement.scrollWidth, width, wider };
  });
  expect(overflow.wider, `${what}: elements wider than the phone`).toEqual([]);
  expect(overflow.scrollWidth, `${what}: page scrolls sideways`).toBeLessThanOrEqual(overflow.width);
  await expectAccessible(page, `${what} at 390 px`);
}

test.describe("phone width (390 px)", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("start, analysis, shared and My analyses pages fit and pass axe", async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Try an example" })).toBeVisible();
    await expectPhoneFit(page, "start page");

    const id = await pasteTrace(page, exampleText("fork-one-answers.sngrep.txt"));
    await expect(page.getByTestId("call-item").first()).toBeVisible();
    await expectPhoneFit(page, "analysis page");

    await page.goto("/sign-up");
    await page.getByLabel("Name").fill("Pat Phone");
    await page.getByLabel("Email").fill(uniqueEmail("phone"));
    await page.getByLabel(/^Password/).fill("correct horse battery");
    await page.getByRole("button", { name: "Sign up" }).click();
    await expect(page.getByRole("heading", { name: "My analyses" })).toBeVisible();
    await expect(page.getByTestId("claim-notice")).toHaveText("1 analysis moved into your account.");
    await expect(page.getByTestId("analysis-row")).toHaveCount(1);
    await expectPhoneFit(page, "My analyses page");

    await page.goto(`/a/${id}`);
    await page.getByRole("button", { name: "Share…" }).click();
    await page.getByRole("button", { name: "Create link" }).click();
    const url = await page.getByTestId("share-url").inputValue();
    await page.goto(url);
    await expect(page.getByTestId("call-item").first()).toBeVisible();
    await expectPhoneFit(page, "shared page");
  });
});
