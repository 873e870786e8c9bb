import { expect, test } from "@playwright/test";
import { exampleText, expectAccessible, pasteTrace, screenshot, uniqueEmail } from "./helpers.js";

test("an anonymous analysis is saved through sign-up, listed, renamed, shared redacted, and revoked", async ({ page, browser }) => {
  // one long user journey with several axe scans: give it room on a shared CI machine
  test.setTimeout(300_000);
  // anonymous paste, then "Save" leads through sign-in/sign-up and keeps the analysis
  const id = await pasteTrace(page, exampleText("caller-hangup.sngrep.txt"));
  await expect(page.getByText(/Not saved: this analysis will be deleted/)).toBeVisible();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/sign-in\?/);
  await expectAccessible(page, "sign-in page");
  await screenshot(page, "sign-in");
  await page.getByRole("link", { name: "Create one" }).click();
  await expect(page).toHaveURL(/\/sign-up\?/);
  const email = uniqueEmail("saver");
  await page.getByLabel("Name").fill("Erin Engineer");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel(/^Password/).fill("correct horse battery");
  await expectAccessible(page, "sign-up page");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(new RegExp(`/a/${id}$`));
  await expect(page.getByTestId("saved-badge")).toBeVisible();
  await expect(page.getByText("Erin Engineer")).toBeVisible();

  // My analyses lists it; rename it and find it by search
  await page.getByRole("link", { name: "My analyses" }).click();
  const rows = page.getByTestId("analysis-row");
  await expect(rows).toHaveCount(1);
  await rows
    .first()
    .getByRole("button", { name: /^Rename/ })
    .click();
  await rows
    .first()
    .getByRole("textbox", { name: /^New title/ })
    .fill("Ringing 2001, caller gave up");
  await rows.first().getByRole("button", { name: "Save" }).click();
  await expect(rows.first()).toContainText("Ringing 2001, caller gave up");
  await page.getByLabel("Search analyses by title").fill("gave up");
  await expect(rows).toHaveCount(1);
  await page.getByLabel("Search analyses by title").fill("no such title");
  await expect(page.getByText("No analysis matches.")).toBeVisible();
  await page.getByLabel("Search analyses by title").fill("");
  await expect(rows).toHaveCount(1);
  // a note, saved when the field is left, is there after a reload
  await rows
    .first()
    .getByLabel(/^Note on/)
    .fill("carrier ticket 4711");
  await page.getByLabel("Search analyses by title").focus();
  await expect(rows.first().getByText("Saved")).toBeVisible();
  await page.reload();
  await expect(rows.first().getByLabel(/^Note on/)).toHaveValue("carrier ticket 4711");
  await screenshot(page, "my-analyses");
  await expectAccessible(page, "my analyses page");
  await rows.first().getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/a/${id}$`));

  // share, focused on the finding, redacted
  const finding = page.locator('[data-testid=finding][data-code="caller-hangup"]');
  await finding.getByRole("button").click();
  const findingTitle = (await finding.locator(".finding-title").textContent()) ?? "";
  await page.getByRole("button", { name: "Share…" }).click();
  const dialog = page.getByTestId("share-dialog");
  await expect(dialog.getByLabel(/Open on the finding/)).toBeChecked();
  await expect(dialog.getByLabel(/Redact/)).toBeChecked();
  await expect(dialog.getByLabel(/^This call only/)).toBeChecked();
  await expect(dialog.getByTestId("share-scope-says")).toContainText("this call only");
  await dialog.getByRole("button", { name: "Create link" }).click();
  const url = await dialog.getByTestId("share-url").inputValue();
  expect(url).toMatch(/\/s\/[^/]+$/);
  await screenshot(page, "share-dialog");
  await expectAccessible(page, "share dialog");

  // a fresh, logged-out browser sees the same diagnosis with pseudonyms
  const stranger = await browser.newContext();
  const other = await stranger.newPage();
  await other.goto(url);
  await expect(other.getByText(/Redacted: numbers, names and addresses are pseudonyms/)).toBeVisible();
  await expect(other.getByText(/Times are shifted/)).toBeVisible();
  await expect(other.getByRole("note")).toContainText("one call of the trace");
  const sharedFinding = other.locator('[data-testid=finding][data-code="caller-hangup"]');
  await expect(sharedFinding).toBeVisible();
  await expect(sharedFinding).toHaveClass(/selected/);
  await expect(other.locator(".lrow.evidence").first()).toBeVisible();
  await expect(
    other
      .getByTestId("ladder")
      .getByRole("button", { name: /^host-[a-z2-7]{8}$/ })
      .first(),
  ).toBeVisible();
  const sharedText = (await other.locator("main").textContent()) ?? "";
  expect(sharedText).not.toContain("127.0.11.10");
  expect(sharedText).not.toContain("2001@");
  // The call list shows the call's clock time: shifted with the link's offset, never the capture's.
  expect(sharedText).not.toMatch(/03:44:3[5-7]/);
  expect(findingTitle.length).toBeGreaterThan(0);
  await expect(other.getByRole("button", { name: "Sign in" })).toHaveCount(0);
  await expect(other.getByRole("button", { name: "Share…" })).toHaveCount(0);
  await screenshot(other, "shared");
  await expectAccessible(other, "shared page");

  // the owner sees the view, revokes, and the link stops working
  await dialog.getByRole("button", { name: "Close", exact: true }).click();
  await page.getByRole("button", { name: "Share…" }).click();
  await expect(page.getByTestId("share-views").first()).toHaveText("1");
  await page.getByTestId("share-dialog").getByRole("button", { name: "Revoke" }).first().click();
  await expect(page.getByTestId("share-dialog").getByText("revoked")).toBeVisible();
  const late = await (await browser.newContext()).newPage();
  await late.goto(url);
  await expect(late.getByText("This link does not work any more.")).toBeVisible();
  await stranger.close();

  // sign out: My analyses is no longer reachable without signing in
  await page.getByTestId("share-dialog").getByRole("button", { name: "Close", exact: true }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.goto("/analyses");
  await expect(page.getByText("Sign in to see your analyses.")).toBeVisible();

  // signing back in shows the saved analysis again
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/analyses$/);
  await expect(page.getByTestId("analysis-row")).toContainText("Ringing 2001, caller gave up");
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(uniqueEmail("nobody"));
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
});
