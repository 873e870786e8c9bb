import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { bigCaptureCallId, writeBigCapture } from "./big-capture.js";

test("a 300,000-message pcap uploaded through the page opens, and one of its calls opens", async ({ page }) => {
  // upload (~110 MB), analysis and storing the parts on a shared 2-core CI box
  test.setTimeout(900_000);
  const dir = mkdtempSync(path.join(tmpdir(), "siplens-e2e-"));
  try {
    const file = path.join(dir, "trunk-300k.pcap");
    const capture = writeBigCapture(file, 300_000);
    expect(capture.messages).toBeGreaterThanOrEqual(300_000);

    await page.goto("/");
    const started = Date.now();
    await page.getByTestId("file-input").setInputFiles(file);
    await expect(page.getByTestId("progress-bytes")).toBeVisible();
    await page.waitForURL(/\/a\/[^/]+$/, { timeout: 840_000 });
    console.log(
      `${capture.messages} messages (${(capture.bytes / 1e6).toFixed(0)} MB): upload to analysis page ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    await expect(page.getByTestId("summary-messages")).toHaveText(capture.messages.toLocaleString("en-US"), { timeout: 60_000 });
    await expect(page.getByTestId("summary-calls")).toHaveText(capture.calls.toLocaleString("en-US"));
    await expect(page.getByTestId("call-item").first()).toBeVisible();

    // a call found by the database search: every third call is a caller hang-up (7 messages)
    const callId = bigCaptureCallId(capture.calls - 3 - ((capture.calls - 3) % 3));
    await page.getByLabel("Search calls by number, Call-ID or host").fill(callId);
    const item = page.getByTestId("call-item");
    await expect(item).toHaveCount(1, { timeout: 30_000 });
    await item.getByRole("button").click();
    const ladder = page.getByTestId("ladder");
    await expect(ladder).toHaveAttribute("data-row-count", "7");
    await expect(ladder.locator("[data-testid=ladder-row]")).toHaveCount(7);
    const finding = page.locator('[data-testid=finding][data-code="caller-hangup"]');
    await expect(finding).toHaveCount(1);
    await expect(finding).toContainText("Caller hung up");

    // its INVITE's raw text comes on click
    await ladder.locator("[data-testid=ladder-row]").first().click();
    await expect(page.getByText(`Call-ID: ${callId}`).first()).toBeVisible();

    // the page holds the parts it shows, not the analysis: its heap stays small (target ≤ 300 MiB)
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("HeapProfiler.collectGarbage");
    const { usedSize } = await cdp.send("Runtime.getHeapUsage");
    console.log(`page heap after opening a call of ${capture.messages} messages: ${(usedSize / 2 ** 20).toFixed(1)} MiB`);
    expect(usedSize).toBeLessThan(300 * 2 ** 20);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
