import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtml } from "../../benchmarks/report/render";
import { Box, OfflinePage, anyOverlap, browserMissing, openOffline } from "./helpers/browser";
import { exampleReport } from "./helpers/example-report";

// The report as a reader sees it: Debian's chromium, headless, JavaScript and network off, on the
// page `edgecall report` writes for constructed runs of the four models. What it proves: every chart
// was drawn (not only written), with one legend entry per model and the legend clear of the data.
const missing = browserMissing();
if (missing !== undefined && process.env.CI === "true") throw new Error(`the browser tests need ${missing}`);
if (missing !== undefined) console.warn(`skipped: the browser tests need ${missing}`);

/** Where the page and its screenshot stay after the run, for a person to look at (gitignored). */
const OUTPUT = path.resolve(__dirname, "../../.test-output/report-browser");
const CHARTS = ["keep-up", "scaling", "accuracy-throughput", "energy-throughput", "power", "concurrency"] as const;

describe.skipIf(missing !== undefined)("the report in a browser", () => {
  const { input, basis, models } = exampleReport();
  let page: OfflinePage;

  beforeAll(async () => {
    fs.rmSync(OUTPUT, { recursive: true, force: true });
    fs.mkdirSync(OUTPUT, { recursive: true });
    fs.writeFileSync(path.join(OUTPUT, "index.html"), await renderHtml(input, basis));
    page = await openOffline(path.join(OUTPUT, "index.html"), { timeoutMs: 30_000 });
  }, 60_000);
  afterAll(async () => page?.close());

  it.each(CHARTS)("draws the %s chart as one SVG of non-zero size", async (chart) => {
    const svgs = await page.boxes(`#chart-${chart} > svg`);
    expect(svgs).toHaveLength(1);
    expect(svgs[0].width).toBeGreaterThan(100);
    expect(svgs[0].height).toBeGreaterThan(100);
    expect(await page.count(`#chart-${chart} .role-mark > *`)).toBeGreaterThan(0);
  });

  it.each(CHARTS)("gives the %s chart one legend entry per model it plots, clear of every mark", async (chart) => {
    // The scaling chart has the one model that was measured on 1..4 boards.
    const expected = chart === "scaling" ? Object.keys(basis.curves) : models;
    expect(await page.texts(`#chart-${chart} .role-legend-label text`)).toEqual(expected);
    const legend: Box[] = await page.boxes(`#chart-${chart} .role-legend`);
    expect(legend).toHaveLength(1);
    const marks = await page.boxes(`#chart-${chart} .role-mark > *`);
    expect(marks.length).toBeGreaterThan(0);
    expect(anyOverlap(legend, marks)).toBe(false);
  });

  it("fetches nothing and saves a PNG of the whole page", async () => {
    const png = path.join(OUTPUT, "report.png");
    await page.screenshot(png);
    const head = fs.readFileSync(png).subarray(0, 24);
    expect(head.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    expect(head.readUInt32BE(16)).toBeGreaterThan(800);
    expect(head.readUInt32BE(20)).toBeGreaterThan(2000);
    expect(page.blockedRequests()).toEqual([]);
  });
});
