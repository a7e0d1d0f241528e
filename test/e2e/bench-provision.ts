/**
 * `npm run bench:provision [-- --boards 4,8 --repeats 1]`: wall time of `pulumi up` of the sim
 * stack with the real Pulumi engine, on 4 and 8 simulated boards (the sim stack's four plus Nano
 * agents that run no model): from empty, a no-change `up` (which trusts the state), a drift-checking
 * no-change `up --refresh` (which looks at every board), and `destroy`. Prints each figure, the
 * goals met or missed, and where the time of the first `up` goes. Needs root and the Pulumi
 * toolchain (test/setup/install-e2e-tier.sh). `--rehearsal FILE` takes the four-board figures from
 * the ones the e2e rehearsal saved there (EDGECALL_PROVISION_FIGURES) instead of a round of its own.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SimBoard, startBoards, stopBoards } from "../sim/boards";
import { holdSimBoards } from "../sim/run-lock";
import { SimProject } from "../sim/sim-project";
import { SIM_BOARDS, extraBoards } from "../sim/sim-stack";
import { NOT_RENDERED, rehearsalSkipReason } from "./helpers/rehearsal";
import { toolchainEnv } from "./toolchain/toolchain";
import { ProvisionRound, loadRound, timedPulumi } from "./helpers/provision-timing";

const GOALS = { firstUpOn4: 8, perExtraBoard: 1, refreshUpOn4: 8 };

async function round(count: number): Promise<ProvisionRound> {
  const specs = [...SIM_BOARDS, ...extraBoards(count - SIM_BOARDS.length)];
  await stopBoards(specs);
  const boards: SimBoard[] = await startBoards(specs);
  const timeline = path.join(os.tmpdir(), `edgecall-provision-timeline-${process.pid}.jsonl`);
  const project = new SimProject({ ...toolchainEnv(), EDGECALL_PROVIDER_TIMELINE: timeline });
  try {
    project.addAgents(boards.slice(SIM_BOARDS.length).map((b) => ({ name: b.name, host: b.host, kind: b.kind })));
    await project.initSimStack(fs.readFileSync(boards[0].keyPath, "utf8"), boards[0].sudoPassword, { render: true });
    const up = ["up", "--yes", "--skip-preview", "-s", "sim"];
    const { seconds, beforeHostSteps, hostSteps } = await timedPulumi(project, timeline, up);
    const noChangeUp = (await timedPulumi(project, timeline, [...up, "--expect-no-changes"])).seconds;
    const refreshUp = (await timedPulumi(project, timeline, [...up, "--refresh", "--expect-no-changes", ...NOT_RENDERED])).seconds;
    const destroy = (await timedPulumi(project, timeline, ["destroy", "--yes", "--skip-preview", "-s", "sim"])).seconds;
    return { boards: count, firstUp: { seconds, beforeHostSteps, hostSteps }, noChangeUp, refreshUp, destroy };
  } finally {
    await project.pulumi(["destroy", "--yes", "--skip-preview", "-s", "sim"]);
    project.remove();
    fs.rmSync(timeline, { force: true });
    await stopBoards(specs);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function option(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1] : fallback;
}

function verdict(value: number, goal: number): string {
  return `${value.toFixed(1)} s, goal < ${goal} s: ${value < goal ? "met" : "missed"}`;
}

async function main(args: string[]): Promise<number> {
  if (rehearsalSkipReason !== undefined) {
    process.stderr.write(`bench:provision: ${rehearsalSkipReason}\n`);
    return 1;
  }
  const counts = option(args, "--boards", "4,8").split(",").map(Number);
  const repeats = Number(option(args, "--repeats", "1"));
  if (counts.some((n) => !Number.isInteger(n) || n < SIM_BOARDS.length || n > 40) || !Number.isInteger(repeats) || repeats < 1) {
    process.stderr.write(`bench:provision: --boards takes counts from ${SIM_BOARDS.length} to 40 (e.g. 4,8), --repeats a count >= 1\n`);
    return 2;
  }
  // The e2e rehearsal runs the four-board round itself (first up, no-change up, refresh up,
  // destroy); with --rehearsal FILE its figures are taken instead of running that round again.
  const rehearsalFile = option(args, "--rehearsal", "");
  const rehearsed = rehearsalFile === "" || repeats > 1 ? undefined : loadRound(rehearsalFile);
  if (rehearsalFile !== "" && rehearsed === undefined && repeats === 1) {
    process.stderr.write(`bench:provision: no whole round in ${rehearsalFile} (did the rehearsal run?); running the ${SIM_BOARDS.length}-board round here\n`);
  }
  const rounds: ProvisionRound[] = rehearsed === undefined ? [] : [rehearsed];
  const toRun = counts.filter((n) => rehearsed === undefined || n !== rehearsed.boards);
  // Interleaved, so that a machine busy with something else for a while weighs on every count alike.
  const lock = await holdSimBoards("npm run bench:provision", [...SIM_BOARDS, ...extraBoards(Math.max(...toRun, SIM_BOARDS.length) - SIM_BOARDS.length)].map((b) => b.index));
  try {
    for (let r = 0; r < repeats; r++) for (const count of toRun) rounds.push(await round(count));
  } finally {
    lock.release();
  }

  const of = (count: number) => rounds.filter((x) => x.boards === count);
  const med = (count: number, pick: (x: ProvisionRound) => number) => median(of(count).map(pick));
  const out: string[] = [
    `pulumi up of the sim stack, simulated boards, median of ${repeats} run(s) each (seconds)${rehearsed === undefined ? "" : `; ${rehearsed.boards} boards: the e2e rehearsal's own runs (${rehearsalFile})`}`,
    "boards\tfirst up\tno-change up\tno-change up --refresh\tdestroy",
    ...counts.map((n) =>
      [n, med(n, (x) => x.firstUp.seconds), med(n, (x) => x.noChangeUp), med(n, (x) => x.refreshUp), med(n, (x) => x.destroy)]
        .map((v, i) => (i === 0 ? String(v) : v.toFixed(1)))
        .join("\t"),
    ),
  ];
  for (const n of counts) {
    const before = med(n, (x) => x.firstUp.beforeHostSteps);
    const steps = med(n, (x) => x.firstUp.hostSteps);
    const total = med(n, (x) => x.firstUp.seconds);
    out.push(
      `first up on ${n} boards: ${before.toFixed(1)} s until the first host step (CLI, language host, program), ${steps.toFixed(1)} s of host steps, ${Math.max(0, total - before - steps).toFixed(1)} s after them (Kubernetes objects, outputs, state)`,
    );
  }
  if (counts.includes(4)) {
    out.push(`goal: first up on 4 boards: ${verdict(med(4, (x) => x.firstUp.seconds), GOALS.firstUpOn4)}`);
    out.push(`goal: drift-checking no-change up on 4 boards: ${verdict(med(4, (x) => x.refreshUp), GOALS.refreshUpOn4)}`);
    const more = counts.filter((n) => n > 4);
    for (const n of more) {
      const perBoard = (med(n, (x) => x.firstUp.seconds) - med(4, (x) => x.firstUp.seconds)) / (n - 4);
      out.push(`goal: first up, per board beyond 4 (from ${n} boards): ${verdict(perBoard, GOALS.perExtraBoard)}`);
    }
  }
  process.stdout.write(`${out.join("\n")}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`bench:provision: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
