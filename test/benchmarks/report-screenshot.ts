/**
 * `npm run report:screenshot`: the README's picture of a report. Renders the browser test's
 * constructed runs (test/benchmarks/helpers/example-report.ts: four models, not measurements) with
 * `renderHtml`, opens the page in Debian's chromium with JavaScript and network off, and saves the page
 * from its top to the runs table as benchmarks/report/example-report.png.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderHtml } from "../../benchmarks/report/render";
import { openOffline } from "./helpers/browser";
import { exampleReport } from "./helpers/example-report";

const OUT = path.resolve(__dirname, "../../benchmarks/report/example-report.png");

async function main(): Promise<void> {
  const { input, basis } = exampleReport();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-report-shot-"));
  try {
    fs.writeFileSync(path.join(dir, "index.html"), await renderHtml(input, basis));
    const page = await openOffline(path.join(dir, "index.html"), { viewport: { width: 1200, height: 800 } });
    try {
      const runs = (await page.boxes("h2"))[(await page.texts("h2")).indexOf("Runs")];
      if (runs === undefined) throw new Error("the report has no Runs heading to stop the picture at");
      const height = Math.ceil(runs.y);
      await page.screenshot(OUT, { x: 0, y: 0, width: 1200, height });
      console.log(`${path.relative(process.cwd(), OUT)}: 1200 x ${height} px`);
    } finally {
      await page.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`report:screenshot: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
