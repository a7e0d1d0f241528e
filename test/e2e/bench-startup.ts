/**
 * `npm run bench:startup`: what running compiled JavaScript instead of TypeScript through a loader
 * saves, measured side by side on this machine.
 *
 * - `edgecall --help`: the compiled command (dist/benchmarks/bin/edgecall.js) against the CLI run
 *   the way the command ran before, under tsx's loader (`node --import tsx benchmarks/cli.ts`, one
 *   process; the former wrapper also started a second Node). Wall time and peak RSS (GNU time),
 *   median of 10 each. Goals: under 0.15 s and 60 MB.
 * - A no-change `pulumi up` of the sim stack on four simulated boards (rendering the Kubernetes
 *   objects, as the rehearsal does): the compiled program and provider against the same project run
 *   as before (Pulumi's ts-node on infra/index.ts, the provider under tsx), median of 3 each after a
 *   first `up`. Goal: at least 2.5 s faster. Needs root and the Pulumi toolchain
 *   (test/setup/install-e2e-tier.sh); `--cli-only` measures the first part alone.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ensureBuilt, EDGECALL_BIN } from "../helpers/build";
import { startBoards, stopBoards } from "../sim/boards";
import { holdSimBoards } from "../sim/run-lock";
import { PROJECT_DIR, SimProject } from "../sim/sim-project";
import { SIM_BOARDS } from "../sim/sim-stack";
import { rehearsalSkipReason } from "./helpers/rehearsal";
import { timedPulumi } from "./helpers/provision-timing";
import { toolchainEnv } from "./toolchain/toolchain";

const GOALS = { helpSeconds: 0.15, helpMegabytes: 60, upSavingSeconds: 2.5 };
const UP = ["up", "--yes", "--skip-preview", "-s", "sim"];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall seconds and peak RSS (MB) of one run of a command, from GNU time. */
function timedRun(command: string[]): { seconds: number; megabytes: number } {
  const result = spawnSync("/usr/bin/time", ["-f", "%e %M", ...command], { cwd: PROJECT_DIR, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command.join(" ")} exited ${result.status}: ${result.stderr}`);
  const [seconds, kilobytes] = result.stderr.trim().split("\n").pop()?.split(" ").map(Number) ?? [];
  return { seconds, megabytes: kilobytes / 1024 };
}

function helpFigures(command: string[]): { seconds: number; megabytes: number } {
  timedRun(command);
  const runs = Array.from({ length: 10 }, () => timedRun(command));
  return { seconds: median(runs.map((r) => r.seconds)), megabytes: median(runs.map((r) => r.megabytes)) };
}

function verdict(met: boolean): string {
  return met ? "met" : "missed";
}

/** The copied project run as before: Pulumi's ts-node on the TypeScript program, the provider under tsx. */
function runAsBefore(project: SimProject): void {
  fs.writeFileSync(
    path.join(project.dir, "Pulumi.yaml"),
    fs
      .readFileSync(path.join(project.dir, "Pulumi.yaml"), "utf8")
      .replace("typescript: false", "typescript: true\n    tsconfig: ../tsconfig.transpile.json")
      .replace("main: dist/infra/index.js", "main: infra/index.ts"),
  );
  fs.copyFileSync(path.join(PROJECT_DIR, "tsconfig.json"), path.join(project.dir, "tsconfig.json"));
  fs.writeFileSync(
    path.join(project.dir, "tsconfig.transpile.json"),
    JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { noCheck: true }, include: ["domain", "infra", "components", "benchmarks"] }),
  );
  const plugin = path.join(project.dir, "components/remote/provider/pulumi-resource-edgecall");
  fs.writeFileSync(plugin, '#!/bin/sh\nset -eu\nhere=$(cd "$(dirname "$0")" && pwd)\ncd "$here/../../.."\nexec node --require tsx/cjs "$here/main.ts" "$@"\n', { mode: 0o755 });
}

async function noChangeUps(compiled: boolean): Promise<number[]> {
  const project = new SimProject(toolchainEnv());
  if (!compiled) runAsBefore(project);
  const timeline = path.join(path.dirname(project.dir), "timeline.jsonl");
  try {
    const boards = await startBoards(SIM_BOARDS);
    project.setNodeHosts(boards.map((b) => b.host));
    await project.initSimStack(fs.readFileSync(boards[0].keyPath, "utf8"), boards[0].sudoPassword, { render: true });
    await timedPulumi(project, timeline, UP);
    const seconds: number[] = [];
    for (let i = 0; i < 3; i++) seconds.push((await timedPulumi(project, timeline, [...UP, "--expect-no-changes"])).seconds);
    return seconds;
  } finally {
    await project.pulumi(["destroy", "--yes", "--skip-preview", "-s", "sim"]);
    project.remove();
    await stopBoards(SIM_BOARDS);
  }
}

async function main(args: string[]): Promise<number> {
  if (!fs.existsSync("/usr/bin/time")) {
    process.stderr.write("bench:startup: needs GNU time (/usr/bin/time; Debian: apt-get install time)\n");
    return 1;
  }
  ensureBuilt();
  const tsx = require.resolve("tsx");
  const compiled = helpFigures(["node", EDGECALL_BIN, "--help"]);
  const loaded = helpFigures(["node", "--import", tsx, path.join(PROJECT_DIR, "benchmarks/cli.ts"), "--help"]);
  const out = [
    "edgecall --help, median of 10 (wall seconds, peak RSS)",
    `compiled (dist/benchmarks/bin/edgecall.js)\t${compiled.seconds.toFixed(3)} s\t${compiled.megabytes.toFixed(1)} MB`,
    `through tsx's loader (as before)\t${loaded.seconds.toFixed(3)} s\t${loaded.megabytes.toFixed(1)} MB`,
    `goal: under ${GOALS.helpSeconds} s: ${verdict(compiled.seconds < GOALS.helpSeconds)}; under ${GOALS.helpMegabytes} MB: ${verdict(compiled.megabytes < GOALS.helpMegabytes)}`,
  ];
  if (!args.includes("--cli-only")) {
    if (rehearsalSkipReason !== undefined) {
      process.stderr.write(`bench:startup: ${rehearsalSkipReason}\n`);
      return 1;
    }
    const lock = await holdSimBoards("npm run bench:startup", SIM_BOARDS.map((b) => b.index));
    let now: number[];
    let before: number[];
    try {
      now = await noChangeUps(true);
      before = await noChangeUps(false);
    } finally {
      lock.release();
    }
    const saving = median(before) - median(now);
    out.push(
      "no-change pulumi up of the sim stack on 4 simulated boards, median of 3 (seconds)",
      `compiled program and provider\t${median(now).toFixed(1)} s (${now.map((s) => s.toFixed(1)).join(", ")})`,
      `ts-node program, provider under tsx (as before)\t${median(before).toFixed(1)} s (${before.map((s) => s.toFixed(1)).join(", ")})`,
      `goal: at least ${GOALS.upSavingSeconds} s faster: ${saving.toFixed(1)} s, ${verdict(saving >= GOALS.upSavingSeconds)}`,
    );
  }
  process.stdout.write(`${out.join("\n")}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`bench:startup: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
