import { expect, test } from "@playwright/test";
import { exampleText, expectAccessible, pasteTrace, screenshot } from "./helpers.js";

test("a finding links to its public guide page, which draws the example ladder from a real capture", async ({ page }) => {
  const consoleProblems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") consoleProblems.push(m.text());
  });
  await pasteTrace(page, exampleText("caller-hangup.sngrep.txt"));
  const finding = page.locator('[data-testid=finding][data-code="caller-hangup"]');
  await finding.getByRole("button").click();
  await finding.getByRole("link", { name: /What “Caller hang-up” means/ }).click();

  await page.waitForURL(/\/guide\/caller-hangup$/);
  await expect(page.getByRole("heading", { level: 1, name: /Caller hang-up/ })).toBeVisible();
  for (const name of ["What it means", "How it looks on a ladder", "Why it happens", "What to check next", "RFC sections"]) {
    await expect(page.getByRole("heading", { level: 2, name })).toBeVisible();
  }
  // the analyzer ran in the browser on the bundled capture: the call's 7 messages, the evidence marked
  const ladder = page.getByTestId("guide-example").getByTestId("ladder");
  await expect(ladder).toHaveAttribute("data-row-count", "7");
  await expect(ladder.getByText("487 Request Terminated")).toBeVisible();
  await expect(ladder.locator(".lrow.evidence")).toHaveCount(4);
  await expect(page.getByTestId("guide-example")).toContainText("Caller hung up after 2.01 s");
  await screenshot(page, "guide-caller-hangup");
  await expectAccessible(page, "guide page");

  // no sign-in anywhere in this test: the index and every code's page are public
  await page.getByRole("link", { name: "Finding guide" }).first().click();
  await expect(page).toHaveURL(/\/guide$/);
  await expect(page.getByRole("heading", { level: 1, name: "Finding guide" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Missing ACK" })).toBeVisible();
  await expectAccessible(page, "guide index");

  // a code that does not exist gets a clear page, also when loaded directly from the server
  await page.goto("/guide/not-a-finding");
  await expect(page.getByRole("heading", { level: 1, name: "No such finding" })).toBeVisible();
  await expect(page.getByTestId("guide-not-found")).toContainText("not-a-finding");
  expect(consoleProblems).toEqual([]);
});
