import { expect, test } from "@playwright/test";
import { example, exampleText, expectAccessible, pasteTrace, screenshot } from "./helpers.js";

test("start page offers paste, upload and examples, and is accessible", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /Why did that call end in 487/ })).toBeVisible();
  await expect(page.getByLabel("Paste a trace")).toBeVisible();
  await expect(page.getByRole("button", { name: /Caller hangs up while ringing/ })).toBeVisible();
  await screenshot(page, "start");
  await expectAccessible(page, "start page");
});

test("pasting a corpus trace shows the ladder and a named caller-hangup finding", async ({ page }) => {
  const text = exampleText("caller-hangup.sngrep.txt");
  await pasteTrace(page, text);
  const ladder = page.getByTestId("ladder");
  await expect(ladder).toHaveAttribute("data-row-count", "7");
  await expect(ladder.getByText("INVITE", { exact: true })).toBeVisible();
  await expect(ladder.getByText("487 Request Terminated")).toBeVisible();
  await expect(ladder.getByRole("button", { name: "127.0.11.10" })).toBeVisible();
  await expect(page.getByTestId("summary-messages")).toHaveText("7");

  const finding = page.locator('[data-testid=finding][data-code="caller-hangup"]');
  await expect(finding).toBeVisible();
  await finding.getByRole("button").click();
  // evidence rows are highlighted and the first one opens in the message pane as plain text
  await expect(page.locator(".lrow.evidence").first()).toBeVisible();
  await expect(page.getByTestId("raw-message")).toContainText("Call-ID: 1-17549@127.0.11.10");
  await expect(finding).toContainText(/RFC 3261/);
  await screenshot(page, "analysis");
  await expectAccessible(page, "analysis page");

  // a 13" laptop: the page does not scroll sideways and the ladder stays usable
  await page.setViewportSize({ width: 1280, height: 720 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await expect(page.getByTestId("ladder").getByText("487 Request Terminated")).toBeVisible();
  await screenshot(page, "analysis-laptop");
  await page.setViewportSize({ width: 1440, height: 900 });

  // keyboard: j moves to the next message, ? opens help, Esc closes it
  const title = page.locator("#message-title");
  const before = await title.textContent();
  await page.locator("body").press("j");
  await expect(title).not.toHaveText(before ?? "");
  await page.locator("body").press("?");
  await expect(page.getByRole("heading", { name: "Keyboard shortcuts" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("heading", { name: "Keyboard shortcuts" })).toBeHidden();

  // the ladder exports as SVG with lane labels
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "SVG" }).click();
  const svg = await (await download).createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of svg) chunks.push(chunk as Buffer);
  const content = Buffer.concat(chunks).toString("utf8");
  expect(content).toContain("<svg");
  expect(content).toContain("127.0.11.21");
});

test("uploading a pcap through the file input shows its retransmitted 487s", async ({ page }) => {
  await page.goto("/");
  await page
    .getByTestId("file-input")
    .setInputFiles({ name: "missing-ack.pcap", mimeType: "application/vnd.tcpdump.pcap", buffer: example("missing-ack.pcap") });
  await page.waitForURL(/\/a\/[^/]+$/);
  const ladder = page.getByTestId("ladder");
  await expect(ladder).toHaveAttribute("data-row-count", "16");
  await expect(page.getByTestId("summary-format")).toContainText(/pcap/i);
  await expect(ladder.locator(".lrow.retr").first()).toBeVisible();
  await page.getByLabel("Collapse retransmissions").check();
  await expect(ladder).toHaveAttribute("data-row-count", "6");
  await expect(ladder.getByText(/487 Request Terminated ×11/)).toBeVisible();
  await expect(page.locator('[data-testid=finding][data-code="missing-ack"]')).toBeVisible();
});

test("garbage input gets a clear error naming the formats understood", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Paste a trace").fill("hello, this is not a SIP trace at all\njust some words\n");
  await page.getByRole("button", { name: "Analyse" }).click();
  const alert = page.getByRole("alert");
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(/could not read this input/i);
  await expect(alert).toContainText(/SIP/);
  await expect(alert).toContainText("pcap / pcapng");
  await expect(page).toHaveURL(/\/$/);

  await page
    .getByTestId("file-input")
    .setInputFiles({ name: "random.bin", mimeType: "application/octet-stream", buffer: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)) });
  await expect(page.getByRole("alert")).toContainText(/could not read this input/i);
  await screenshot(page, "start-error");
});
