/**
 * The end of `npm test` (test/run-all.sh): a table of each lane step's wall time and of each e2e
 * file's, whether the machine was warm (the setup built nothing) or cold, a warning where the run
 * took longer than the goal for its kind, and the one closing line over every tier's vitest report.
 *
 * Usage: tsx test/run-summary.ts RESULTS_DIR TOTAL_SECONDS
 * RESULTS_DIR holds timings.tsv (lane, step, seconds, exit status), setup-notes.txt (what the setup
 * had to build), one vitest JSON report per tier (<tier>.json) and JUnit XML reports (pytest's,
 * <name>.junit.xml).
 */
import * as fs from "fs";
import * as path from "path";

/** Warm: nothing was built. The goal is 22 minutes; the warning comes past 25. Cold: 45. */
const WARN_WARM_S = 25 * 60;
const WARN_COLD_S = 45 * 60;

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numFailedTestSuites?: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: Array<{ name: string; startTime: number; endTime: number; status: string }>;
}

export interface StepTime {
  lane: string;
  step: string;
  seconds: number;
  status: number;
}

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export function parseTimings(text: string): StepTime[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [lane, step, seconds, status] = line.split("\t");
      return { lane, step, seconds: Number(seconds), status: Number(status) };
    });
}

/** The counts of a JUnit XML report (pytest's --junitxml): one <testsuite> element per suite. */
export function countJunit(xml: string): Counts {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  for (const [suite] of xml.matchAll(/<testsuite\b[^>]*>/g)) {
    const attribute = (name: string) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite)?.[1] ?? 0);
    const failed = attribute("failures") + attribute("errors");
    counts.failed += failed;
    counts.skipped += attribute("skipped");
    counts.passed += attribute("tests") - failed - attribute("skipped");
  }
  return counts;
}

export function countTests(reports: VitestReport[], junit: Counts[] = []): Counts {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  for (const extra of junit) {
    counts.passed += extra.passed;
    counts.failed += extra.failed;
    counts.skipped += extra.skipped;
  }
  for (const report of reports) {
    counts.passed += report.numPassedTests;
    // A file that fails to load has no failed tests of its own; count it once so it shows.
    counts.failed += report.numFailedTests > 0 ? report.numFailedTests : Math.min(1, report.numFailedTestSuites ?? 0);
    counts.skipped += report.numPendingTests + report.numTodoTests;
  }
  return counts;
}

function minutes(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, "0")}`;
}

/** The table and the warning, as lines. */
export function summaryLines(steps: StepTime[], e2eFiles: Array<{ file: string; seconds: number }>, notes: string[], totalSeconds: number): string[] {
  const lines = ["", "wall time per step (m:ss)", "lane\tstep\ttime\tresult"];
  for (const step of steps) lines.push(`${step.lane}\t${step.step}\t${minutes(step.seconds)}\t${step.status === 0 ? "ok" : `failed (${step.status})`}`);
  if (e2eFiles.length > 0) {
    lines.push("e2e files:");
    for (const file of e2eFiles) lines.push(`\t${file.file}\t${minutes(file.seconds)}`);
  }
  const cold = notes.length > 0;
  lines.push(`total: ${minutes(totalSeconds)} (${cold ? `cold: the setup built or installed ${notes.join("; ")}` : "warm: the setup built nothing"})`);
  const limit = cold ? WARN_COLD_S : WARN_WARM_S;
  if (totalSeconds > limit) {
    lines.push(`warning: this ${cold ? "cold" : "warm"} run took ${minutes(totalSeconds)}, more than ${minutes(limit)}; see the steps above for where the time went`);
  }
  return lines;
}

function main(dir: string, totalSeconds: number): number {
  const read = (file: string) => (fs.existsSync(path.join(dir, file)) ? fs.readFileSync(path.join(dir, file), "utf8") : "");
  const reports = new Map<string, VitestReport>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "provision-rehearsal.json")) {
    reports.set(path.basename(file, ".json"), JSON.parse(read(file)) as VitestReport);
  }
  const junit = fs.readdirSync(dir).filter((f) => f.endsWith(".junit.xml")).map((f) => countJunit(read(f)));
  const e2e = reports.get("e2e");
  const e2eFiles = (e2e?.testResults ?? []).map((r) => ({ file: path.relative(process.cwd(), r.name), seconds: (r.endTime - r.startTime) / 1000 }));
  const notes = read("setup-notes.txt").split("\n").filter((line) => line.trim() !== "");
  for (const line of summaryLines(parseTimings(read("timings.tsv")), e2eFiles, notes, totalSeconds)) console.log(line);

  const counts = countTests([...reports.values()], junit);
  console.log(`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  if (process.env.CI === "true" && counts.skipped > 0) {
    console.error("CI=true: skipped tests are not allowed to stand for passing ones");
    return 1;
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv[2], Number(process.argv[3]));
