import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test, type Download, type Page } from "@playwright/test";
import { expectAccessible } from "./helpers.js";

/** The shared corpus (beside the repository, or SIPLENS_CORPUS): real captures with tshark's own reading beside each. */
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const corpus = [process.env.SIPLENS_CORPUS, resolve(repoRoot, "../shared/corpus"), "/work/shared/corpus"].find(
  (d) => d && existsSync(join(d, "manifest.json")),
);
const SCENARIO = "S9b_caller_hangup_via_kamailio_tcp";
const scenarioFile = (ext: string) => join(corpus ?? "", "traces", SCENARIO, `${SCENARIO}.${ext}`);

/** tshark's frame numbers of the SIP packets, from the `-T fields` output kept beside the capture. */
function tsharkFrames(): Array<{ frame: string; callId: string }> {
  const [head, ...lines] = readFileSync(scenarioFile("tshark-fields.tsv"), "utf8").trim().split("\n");
  const columns = head!.split("\t");
  const frame = columns.indexOf("frame.number");
  const callId = columns.indexOf("sip.Call-ID");
  return lines.map((l) => l.split("\t")).map((cells) => ({ frame: cells[frame]!, callId: cells[callId]! }));
}

async function uploadScenario(page: Page): Promise<void> {
  await page.goto("/");
  await page
    .getByTestId("file-input")
    .setInputFiles({ name: `${SCENARIO}.pcap`, mimeType: "application/vnd.tcpdump.pcap", buffer: readFileSync(scenarioFile("pcap")) });
  await page.waitForURL(/\/a\/[^/]+$/);
  await expect(page.getByTestId("ladder")).toBeVisible();
}

async function bytesOf(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

test.skip(!corpus, "needs the shared corpus (SIPLENS_CORPUS)");

test("messages are named by the capture's frame numbers, as tshark numbers them: ladder, message pane, evidence", async ({ page }) => {
  const expected = tsharkFrames();
  await uploadScenario(page);
  const ladder = page.getByTestId("ladder");
  // one call: the page opens on it
  await expect(ladder).toHaveAttribute("data-row-count", String(expected.length));
  await expect(ladder.locator(".lane-gutter-where")).toHaveText("frame");
  await expect(ladder.getByTestId("ladder-row-where")).toHaveText(expected.map((e) => e.frame));
  // times to the µs, as the pcap has them
  await expect(ladder.locator(".lrow-time").nth(1)).toHaveText(/^\d+\.\d{6} s$/);

  await ladder.getByTestId("ladder-row").first().click();
  await expect(page.locator("#message-title")).toHaveText(new RegExp(`^frame ${expected[0]!.frame} INVITE`));
  await expect(page.getByTestId("message-pane")).toContainText(/\d\d:\d\d:\d\d\.\d{6} UTC/);

  const finding = page.locator('[data-testid=finding][data-code="caller-hangup"]');
  await finding.getByRole("button").first().click();
  const evidence = finding.locator(".evidence-links button");
  await expect(evidence.first()).toHaveText(/^frame \d+$/);
  const frames = new Set(expected.map((e) => `frame ${e.frame}`));
  for (const name of await evidence.allTextContents()) expect(frames.has(name), name).toBe(true);
  await expectAccessible(page, "a call ladder with frame numbers");
});

test("SVG, PNG and text exports carry the Call-ID, the UTC start, frame numbers and findings, with nothing cut", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const expected = tsharkFrames();
  const callId = expected[0]!.callId;
  await uploadScenario(page);
  await expect(page.getByTestId("ladder")).toHaveAttribute("data-row-count", String(expected.length));
  await expect(page.locator('[data-testid=finding][data-code="caller-hangup"]')).toBeVisible();

  const svgDownload = page.waitForEvent("download");
  await page.getByRole("button", { name: "SVG" }).click();
  const svgFile = await svgDownload;
  expect(svgFile.suggestedFilename()).toBe(`siplens-${callId.replace(/[^\w.-]+/g, "_")}.svg`);
  const svg = (await bytesOf(svgFile)).toString("utf8");

  // Drawn by the browser itself: every text element must lie inside the viewBox.
  const drawn = await page.evaluate((markup) => {
    const host = document.createElement("div");
    host.innerHTML = markup;
    document.body.append(host);
    const root = host.querySelector("svg")!;
    const [, , width, height] = root.getAttribute("viewBox")!.split(" ").map(Number);
    const texts = [...root.querySelectorAll("text")].map((t) => {
      const box = t.getBBox();
      return { text: t.textContent ?? "", left: box.x, right: box.x + box.width, top: box.y, bottom: box.y + box.height };
    });
    host.remove();
    return { width: width!, height: height!, texts };
  }, svg);
  expect(drawn.texts.length).toBeGreaterThan(expected.length * 3);
  for (const t of drawn.texts) {
    expect(t.left, t.text).toBeGreaterThanOrEqual(0);
    expect(t.top, t.text).toBeGreaterThanOrEqual(0);
    expect(t.right, t.text).toBeLessThanOrEqual(drawn.width);
    expect(t.bottom, t.text).toBeLessThanOrEqual(drawn.height);
  }
  const svgTexts = drawn.texts.map((t) => t.text);
  expect(svgTexts[0]).toBe(`Call ${callId}`);
  expect(svgTexts).toContain(`Call-ID: ${callId}`);
  expect(svgTexts.some((t) => /^Start: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} UTC$/.test(t))).toBe(true);
  for (const { frame } of expected) expect(svgTexts, `frame ${frame}`).toContain(frame);
  expect(svgTexts).toContain("Findings");
  expect(svgTexts.some((t) => /\(caller-hangup\)$/.test(t))).toBe(true);

  const pngDownload = page.waitForEvent("download");
  await page.getByRole("button", { name: "PNG" }).click();
  const pngFile = await pngDownload;
  expect(pngFile.suggestedFilename()).toBe(`siplens-${callId.replace(/[^\w.-]+/g, "_")}.png`);
  const png = await bytesOf(pngFile);
  const svgWidth = Number(/width="(\d+)"/.exec(svg)![1]);
  // IHDR: the image is the SVG at 2×
  expect(png.readUInt32BE(16)).toBe(svgWidth * 2);
  expect(png.readUInt32BE(20)).toBeLessThanOrEqual(16_000);

  await page.getByRole("button", { name: "Copy text" }).click();
  await expect(page.getByText(/Text ladder copied/)).toBeVisible();
  const text = await page.evaluate(() => navigator.clipboard.readText());
  const lines = text.split("\n");
  expect(lines[0]).toBe(`Call ${callId}`);
  expect(lines[1]).toBe(`Call-ID: ${callId}`);
  expect(lines[2]).toMatch(/^Start: .*\.\d{6} UTC$/);
  const header = lines.find((l) => l.startsWith("time"))!;
  expect(header).toMatch(/^time +frame +\S/);
  // lane names apart from each other
  expect(header.replace(/^time +frame +/, "")).toMatch(/^\S+(?: \(\w+\))? {2,}\S+/);
  const rows = lines.filter((l) => l.includes("|"));
  expect(rows).toHaveLength(expected.length);
  rows.forEach((row, k) => expect(row).toMatch(new RegExp(`^\\d+\\.\\d{6} s +${expected[k]!.frame} +`)));
  expect(text).toMatch(/\nFindings:\n- \w+ · .* \(caller-hangup\)\n/);
  expect(text).toMatch(/Evidence: frame \d+/);
  await expectAccessible(page, "the analysis page after exports");
});
