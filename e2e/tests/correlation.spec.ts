import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { expectAccessible, screenshot } from "./helpers.js";

/** Two concurrent calls through a Kamailio topoh SBC: four Call-IDs, two calls (packages/analysis/test/fixtures/correlation). */
const fixture = fileURLToPath(new URL("../../packages/analysis/test/fixtures/correlation/heuristic-two-calls.pcap", import.meta.url));

test("a call across a B2BUA is one entry with its legs, and selecting it draws both legs in one ladder", async ({ page }) => {
  await page.goto("/");
  await page.getByTestId("file-input").setInputFiles({ name: "sbc-two-calls.pcap", mimeType: "application/vnd.tcpdump.pcap", buffer: readFileSync(fixture) });
  await page.waitForURL(/\/a\/[^/]+$/);
  const items = page.getByTestId("call-item");
  await expect(items).toHaveCount(2);
  await expect(items.first().getByTestId("call-legs")).toContainText("2 legs · heuristic · 75%");
  await items.first().locator(".call-main").click();
  // leg A (7 messages) and leg B (7 messages) of the first call, drawn together across the SBC
  await expect(page.getByTestId("ladder")).toHaveAttribute("data-row-count", "14");
  await expect(items.first().getByRole("checkbox")).toBeChecked();
  await expect(page.getByRole("heading", { name: /^Ladder/ })).toContainText("1 call (2 legs) · 14 rows");
  await screenshot(page, "correlated-call");
  await expectAccessible(page, "a correlated call selected");
});
