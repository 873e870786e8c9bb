import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test, type Page } from "@playwright/test";
import { example, expectAccessible, screenshot } from "./helpers.js";

const fixture = (path: string) => readFileSync(fileURLToPath(new URL(`../../packages/analysis/test/fixtures/${path}`, import.meta.url)));
/** 60 calls, every third cancelled by its caller after exactly 0.15 s: 20 hang-ups, five timer patterns (packages/analysis/test/fixtures/patterns). */
const TRUNK = "patterns/trunk-timer-60-calls.sngrep.txt";

/** Uploads a file on the start page and waits for its analysis page (a summary-only input has no ladder to wait for). */
async function upload(page: Page, name: string, buffer: Buffer, mimeType = "text/plain"): Promise<void> {
  await page.goto("/");
  await page.getByTestId("file-input").setInputFiles({ name, mimeType, buffer });
  await page.waitForURL(/\/a\/[^/]+$/);
}

const callsHeading = (page: Page) => page.getByRole("heading", { name: /^Calls/ });

/** axe at desktop and phone width, then back. */
async function expectAccessibleAtBothWidths(page: Page, what: string): Promise<void> {
  await expectAccessible(page, what);
  await page.setViewportSize({ width: 390, height: 844 });
  await expectAccessible(page, `${what} (phone)`);
  await page.setViewportSize({ width: 1440, height: 900 });
}

test("487s by cause: the missing-ACK example is counted under the missing ACK, worst first", async ({ page }) => {
  await upload(page, "missing-ack.pcap", example("missing-ack.pcap"), "application/vnd.tcpdump.pcap");
  const chips = page.getByRole("list", { name: "487s by cause" }).getByTestId("cause-chip");
  await expect(chips).toHaveText(["Missing ACK 1"]);
  await chips.first().click();
  await expect(chips.first()).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("call-filter-chips")).toContainText("487s decided by Missing ACK");
  await expect(callsHeading(page)).toContainText("1 of 1");
  await expectAccessibleAtBothWidths(page, "analysis with a cause chip pressed");
});

test("a cause chip filters the call list, and the trace-wide patterns come first and show the calls they cover", async ({ page }) => {
  await upload(page, "trunk.txt", fixture(TRUNK));
  await expect(callsHeading(page)).toHaveText("Calls 60");
  const hangups = page.locator('[data-testid=cause-chip][data-code="caller-hangup"]');
  await expect(hangups).toHaveText("Caller hang-up 20");
  await hangups.click();
  await expect(callsHeading(page)).toHaveText("Calls 20 of 60");
  await hangups.click();
  await expect(callsHeading(page)).toHaveText("Calls 60");

  const findings = page.getByTestId("finding");
  await expect(findings).toHaveCount(25);
  for (let i = 0; i < 5; i++) await expect(findings.nth(i)).toHaveAttribute("data-code", "timer-pattern");
  await expect(findings.nth(5)).toHaveAttribute("data-code", "caller-hangup");
  await findings.first().locator(".finding-head").click();
  await expect(callsHeading(page)).toHaveText("Calls 4 of 60");
  await expect(page.getByTestId("call-item")).toHaveCount(4);
  await expect(page.getByTestId("call-filter-chips")).toContainText("Covered by 4 calls ended by");
  await screenshot(page, "pattern-calls");
  await expectAccessibleAtBothWidths(page, "analysis with a pattern's calls");
  await page.getByRole("button", { name: "Stop showing only the calls of this pattern" }).click();
  await expect(callsHeading(page)).toHaveText("Calls 60");
});

test("a tshark one-line summary is refused up front with the command that exports full messages", async ({ page }) => {
  await upload(page, "missing-ack.tshark.txt", fixture("summaries/missing-ack.tshark.txt"));
  const notice = page.getByTestId("summary-only");
  await expect(notice.getByRole("heading")).toHaveText("This tshark one-line summary has no full SIP messages");
  await expect(notice).toContainText("tshark -r capture.pcapng -Y sip -w sip-only.pcapng");
  await expect(page.getByText(/Nothing to diagnose/)).toBeVisible();
  await expect(page.getByText("No 487 or CANCEL problem found in this trace.")).toHaveCount(0);
  await screenshot(page, "summary-only");
  await expectAccessibleAtBothWidths(page, "a summary-only input");
});

test("an sngrep call-flow screen is refused up front with how to save a pcap from sngrep", async ({ page }) => {
  await upload(page, "missing-ack.sngrep-flow.txt", fixture("summaries/missing-ack.sngrep-flow.txt"));
  const notice = page.getByTestId("summary-only");
  await expect(notice.getByRole("heading")).toHaveText("This sngrep call-flow screen has no full SIP messages");
  await expect(notice).toContainText("sngrep -N -q -I capture.pcap -O sip-only.pcap");
});
