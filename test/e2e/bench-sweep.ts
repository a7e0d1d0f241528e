/**
 * `npm run bench:sweep [-- --points 3]`: what a sweep costs per point beyond the benchmark Jobs
 * themselves, on the sim stack's four simulated boards: the stack renders its Kubernetes objects
 * (no Job runs), so a point's time, from its `start` to its `done` in the journal, is all overhead:
 * setting the config, a `pulumi up` that changes the Orin's power mode (its host step) and the run
 * id (the rendered Jobs), and reading the outputs back. Prints each point, the median and the goal
 * (under 15 s), and the time to put the config back. Needs root and the Pulumi toolchain.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { SimBoard, startBoards, stopBoards } from "../sim/boards";
import { holdSimBoards } from "../sim/run-lock";
import { SimProject } from "../sim/sim-project";
import { SIM_BOARDS } from "../sim/sim-stack";
import { EDGECALL_BIN } from "../helpers/build";
import { rehearsalSkipReason } from "./helpers/rehearsal";
import { toolchainEnv } from "./toolchain/toolchain";

const GOAL_SECONDS = 15;

interface JournalLine {
  event: string;
  point?: string;
  at: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function measure(points: number): Promise<string[]> {
  await stopBoards(SIM_BOARDS);
  const boards: SimBoard[] = await startBoards(SIM_BOARDS);
  const project = new SimProject(toolchainEnv());
  try {
    await project.initSimStack(fs.readFileSync(boards[0].keyPath, "utf8"), boards[0].sudoPassword, { render: true });
    await project.pulumiOk(["up", "--yes", "--skip-preview", "-s", "sim"]);
    const work = path.dirname(project.dir);
    const modes = Array.from({ length: points }, (_v, i) => i % 4);
    const file = path.join(work, "bench.yaml");
    fs.writeFileSync(file, `experiment: bench\nstack: sim\ngrid:\n  powerMode:\n    orin: [${[...new Set(modes)].join(", ")}]\n`);
    const dir = path.join(work, "experiment");
    const started = Date.now();
    const sweep = spawnSync(process.execPath, [EDGECALL_BIN, "sweep", file, "--dir", dir, "--project", project.dir], { env: project.pulumiEnv, encoding: "utf8", timeout: 1_800_000 });
    const total = (Date.now() - started) / 1000;
    if (sweep.status !== 0) throw new Error(`the sweep failed (exit ${sweep.status}):\n${sweep.stdout}${sweep.stderr}`);
    const journal = fs.readFileSync(path.join(dir, "journal.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as JournalLine);
    const perPoint = journal
      .filter((e) => e.event === "done")
      .map((done) => {
        const start = journal.find((e) => e.event === "start" && e.point === done.point) as JournalLine;
        return { point: done.point as string, seconds: (Date.parse(done.at) - Date.parse(start.at)) / 1000 };
      });
    const lastDone = Math.max(...journal.filter((e) => e.event === "done").map((e) => Date.parse(e.at)));
    const restored = journal.find((e) => e.event === "restored") as JournalLine;
    const m = median(perPoint.map((p) => p.seconds));
    return [
      `sweep overhead per point on ${SIM_BOARDS.length} simulated boards (objects rendered, no Job runs): the Orin's power mode and the run id changed each point`,
      "point\tseconds (config set, pulumi up, outputs read)",
      ...perPoint.map((p) => `${p.point}\t${p.seconds.toFixed(1)}`),
      `median ${m.toFixed(1)} s; putting the config back and applying it: ${((Date.parse(restored.at) - lastDone) / 1000).toFixed(1)} s; whole sweep (CLI start included) ${total.toFixed(1)} s`,
      `goal: overhead per point: ${m.toFixed(1)} s, goal < ${GOAL_SECONDS} s: ${m < GOAL_SECONDS ? "met" : "missed"}`,
    ];
  } finally {
    await project.pulumi(["destroy", "--yes", "--skip-preview", "-s", "sim"]);
    project.remove();
    await stopBoards(SIM_BOARDS);
  }
}

async function main(args: string[]): Promise<number> {
  if (rehearsalSkipReason !== undefined) {
    process.stderr.write(`bench:sweep: ${rehearsalSkipReason}\n`);
    return 1;
  }
  const at = args.indexOf("--points");
  const points = at >= 0 ? Number(args[at + 1]) : 3;
  if (!Number.isInteger(points) || points < 2 || points > 4) {
    process.stderr.write("bench:sweep: --points takes 2 to 4 (the Orin's power modes)\n");
    return 2;
  }
  const lock = await holdSimBoards("npm run bench:sweep", SIM_BOARDS.map((b) => b.index));
  try {
    process.stdout.write(`${(await measure(points)).join("\n")}\n`);
  } finally {
    lock.release();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`bench:sweep: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
