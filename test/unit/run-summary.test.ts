import { describe, expect, it } from "vitest";
import { countJunit, countTests, parseTimings, summaryLines } from "../run-summary";

const report = (passed: number, failed: number, skipped: number, failedSuites = 0) => ({
  numPassedTests: passed,
  numFailedTests: failed,
  numFailedTestSuites: failedSuites,
  numPendingTests: skipped,
  numTodoTests: 0,
  testResults: [],
});

describe("the table at the end of npm test", () => {
  it("reads each step's lane, name, seconds and exit status", () => {
    expect(parseTimings("boards\tsetup\t12\t0\nboardless\tunit\t70\t1\n\n")).toEqual([
      { lane: "boards", step: "setup", seconds: 12, status: 0 },
      { lane: "boardless", step: "unit", seconds: 70, status: 1 },
    ]);
  });

  it("counts a file that failed to load as one failure, and skipped tests apart", () => {
    expect(countTests([report(10, 0, 0), report(3, 2, 1), report(0, 0, 0, 1)])).toEqual({ passed: 13, failed: 3, skipped: 1 });
  });

  it("reads pytest's JUnit report, failures and errors alike as failed, and adds it to the vitest counts", () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="1" failures="2" skipped="1" tests="9" time="0.3" timestamp="x" hostname="h"><testcase/></testsuite></testsuites>`;
    expect(countJunit(xml)).toEqual({ passed: 5, failed: 3, skipped: 1 });
    expect(countTests([report(10, 0, 0)], [countJunit(xml)])).toEqual({ passed: 15, failed: 3, skipped: 1 });
  });

  it("prints each step and e2e file in minutes and seconds, and calls a run without setup notes warm", () => {
    const lines = summaryLines(
      [{ lane: "boards", step: "e2e", seconds: 605, status: 0 }, { lane: "boardless", step: "unit", seconds: 59, status: 1 }],
      [{ file: "test/e2e/cluster.test.ts", seconds: 480.4 }],
      [],
      1000,
    );
    expect(lines).toContain("boards\te2e\t10:05\tok");
    expect(lines).toContain("boardless\tunit\t0:59\tfailed (1)");
    expect(lines).toContain("\ttest/e2e/cluster.test.ts\t8:00");
    expect(lines).toContain("total: 16:40 (warm: the setup built nothing)");
    expect(lines.some((l) => l.startsWith("warning"))).toBe(false);
  });

  it("warns past 25 minutes on a warm machine and past 45 on a cold one, naming what the setup built", () => {
    const warm = summaryLines([], [], [], 25 * 60 + 1);
    expect(warm.at(-1)).toBe("warning: this warm run took 25:01, more than 25:00; see the steps above for where the time went");
    const coldInTime = summaryLines([], [], ["the Kubernetes binary", "CoreDNS"], 40 * 60);
    expect(coldInTime).toContain("total: 40:00 (cold: the setup built or installed the Kubernetes binary; CoreDNS)");
    expect(coldInTime.some((l) => l.startsWith("warning"))).toBe(false);
    expect(summaryLines([], [], ["CoreDNS"], 46 * 60).at(-1)).toMatch(/^warning: this cold run took 46:00, more than 45:00/);
  });
});
