/**
 * `npm run bench:provision`: wall time of `pulumi up` from empty and of the no-change `pulumi up`
 * for the four simulated boards of the sim stack, with the real Pulumi engine. Needs root and the
 * Pulumi toolchain (see README, "Rehearsal with the real engine").
 */
import * as fs from "fs";
import { startBoards, stopBoards } from "../sim/boards";
import { SIM_BOARDS, rehearsalSkipReason } from "./helpers/rehearsal";
import { SimProject } from "./helpers/sim-project";
import { toolchainEnv } from "./toolchain/toolchain";

async function main(): Promise<number> {
  if (rehearsalSkipReason !== undefined) {
    process.stderr.write(`bench:provision: ${rehearsalSkipReason}\n`);
    return 1;
  }
  await stopBoards(SIM_BOARDS);
  const boards = await startBoards(SIM_BOARDS);
  const project = new SimProject(toolchainEnv());
  try {
    await project.initSimStack(fs.readFileSync(boards[0].keyPath, "utf8"), boards[0].sudoPassword);
    const first = await project.pulumiOk(["up", "--yes", "--skip-preview", "-s", "sim"]);
    const second = await project.pulumiOk(["up", "--yes", "--skip-preview", "--expect-no-changes", "-s", "sim"]);
    process.stdout.write(`pulumi up, 4 simulated boards, from empty: ${first.seconds.toFixed(1)} s\n`);
    process.stdout.write(`pulumi up, 4 simulated boards, no changes: ${second.seconds.toFixed(1)} s\n`);
    return 0;
  } finally {
    await project.pulumi(["destroy", "--yes", "--skip-preview", "-s", "sim"]);
    project.remove();
    await stopBoards(SIM_BOARDS);
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`bench:provision: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
