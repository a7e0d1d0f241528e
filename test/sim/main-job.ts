/**
 * The main job without boards:
 *
 *   npm run sim:up            simulated boards running a real Kubernetes (the K3s stand-in), a
 *                             local file backend, the sim stack, `pulumi up` (benchmarks on the
 *                             fixtures' FAST5 reads), then `pulumi stack output --json`; run it
 *                             again to apply a change
 *   npm run sim -- ARGS...    any other `pulumi ARGS` on that stack (stack output, preview, refresh)
 *   npm run sim:down          `pulumi destroy`, then the boards and the state are removed
 *
 * It uses the `pulumi` on PATH where one is installed (a user's own CLI) and otherwise the shared
 * toolchain (test/setup/install-pulumi-toolchain.sh). The project, its state and its stack file
 * live in .sim/main-job/ (git ignores .sim/). Needs root: the boards are namespaces.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { simDir, startBoards, stopBoards } from "./boards";
import { BOARD_INDEXES, SIM_UP_MARKER, holdSimBoards } from "./run-lock";
import { prepareCluster } from "./cluster";
import { prepareLiveRunDir } from "./live-run-dir";
import { fixtureDataset } from "./fixture-dataset";
import { PROJECT_DIR, SIM_PASSPHRASE, SimProject } from "./sim-project";
import { SIM_BOARDS } from "./sim-stack";
import { TOOLCHAIN_DIR, toolchainEnv, toolchainMissing } from "../e2e/toolchain/toolchain";

const ROOT = path.join(PROJECT_DIR, ".sim", "main-job");
const STACK = ["-s", "sim"];

class UsageError extends Error {}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: PROJECT_DIR, stdio: "inherit" });
  if (result.status !== 0) throw new UsageError(`${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
}

/** The user's own `pulumi` when PATH has one, else the shared toolchain, installed on first use. */
function pulumiEnvironment(): { env: NodeJS.ProcessEnv; which: string } {
  const own = spawnSync("bash", ["-c", "command -v pulumi"], { encoding: "utf8" });
  if (own.status === 0 && !own.stdout.startsWith(TOOLCHAIN_DIR)) return { env: { ...process.env }, which: `your pulumi (${own.stdout.trim()})` };
  if (toolchainMissing().length > 0) run("bash", ["test/setup/install-pulumi-toolchain.sh"]);
  const missing = toolchainMissing();
  if (missing.length > 0) {
    throw new UsageError(`no pulumi on PATH and the shared toolchain is incomplete: ${missing.join(", ")}; install the Pulumi CLI or set EDGECALL_TOOLCHAIN_SRC`);
  }
  return { env: toolchainEnv(), which: `the shared toolchain (${TOOLCHAIN_DIR})` };
}

function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new UsageError("simulated boards are network and mount namespaces: run as root (sudo -E npm run sim:up)");
}

async function up(): Promise<number> {
  requireRoot();
  run("bash", ["test/setup/install-e2e-tier.sh"]);
  const { env, which } = pulumiEnvironment();
  process.stdout.write(`sim:up: pulumi is ${which}; state and stack in ${path.relative(PROJECT_DIR, ROOT)}\n`);
  const cluster = await prepareCluster();
  const lock = await holdSimBoards("npm run sim:up", BOARD_INDEXES.simUp, { simUp: true });
  try {
    return await deploy(env, cluster.envFile, cluster.digests);
  } finally {
    lock.release();
  }
}

async function deploy(env: NodeJS.ProcessEnv, clusterEnvFile: string, digests: Readonly<Record<string, string>>): Promise<number> {
  const boards = await startBoards(SIM_BOARDS, { cluster: clusterEnvFile });
  // Test runs leave these boards alone until sim:down.
  fs.writeFileSync(SIM_UP_MARKER, `${SIM_BOARDS.map((b) => b.name).join(" ")}\n`);
  process.stdout.write(`sim:up: boards ${boards.map((b) => `${b.name} ${b.host}`).join(", ")}, each holding the cluster's images\n`);
  await prepareLiveRunDir(boards);
  const project = new SimProject(env, { root: ROOT });
  const dataset = fixtureDataset(path.join(ROOT, "dataset"), 12);
  await project.initSimStack(fs.readFileSync(boards[0].keyPath, "utf8"), boards[0].sudoPassword, { dataset, digests });
  const result = await project.pulumi(["up", "--yes", "--skip-preview", ...STACK], { echo: true, timeoutMs: 3_600_000 });
  if (result.code !== 0) {
    process.stderr.write("sim:up: pulumi up failed (above); fix and run `npm run sim:up` again, or `npm run sim:down`\n");
    return 1;
  }
  const outputs = await project.pulumiOk(["stack", "output", "--json", ...STACK]);
  process.stdout.write(outputs.stdout);
  process.stdout.write(
    [
      "",
      "sim:up: done. More pulumi commands on this stack: npm run sim -- stack output benchmarks --json",
      `        (or: cd ${project.dir} && PULUMI_BACKEND_URL=file://${project.stateDir} PULUMI_CONFIG_PASSPHRASE=${SIM_PASSPHRASE} pulumi ...)`,
      "        Remove everything: npm run sim:down",
      "",
    ].join("\n"),
  );
  return 0;
}

async function pulumiCommand(args: string[]): Promise<number> {
  if (!fs.existsSync(path.join(ROOT, "project"))) throw new UsageError("no sim stack yet: run `npm run sim:up` first");
  const project = new SimProject(pulumiEnvironment().env, { root: ROOT });
  return (await project.pulumi(args.includes("-s") || args.includes("--stack") ? args : [...args, ...STACK], { echo: true, timeoutMs: 3_600_000 })).code;
}

async function down(): Promise<number> {
  requireRoot();
  const lock = await holdSimBoards("npm run sim:down", BOARD_INDEXES.simUp, { simUp: true });
  try {
    return await takeDown();
  } finally {
    lock.release();
  }
}

async function takeDown(): Promise<number> {
  if (fs.existsSync(path.join(ROOT, "project"))) {
    const project = new SimProject(pulumiEnvironment().env, { root: ROOT });
    const result = await project.pulumi(["destroy", "--yes", "--skip-preview", ...STACK], { echo: true, timeoutMs: 3_600_000 });
    if (result.code !== 0) {
      process.stderr.write(`sim:down: pulumi destroy failed (above); the boards and ${path.relative(PROJECT_DIR, ROOT)} are kept: fix and run it again\n`);
      return 1;
    }
    project.remove();
  }
  await stopBoards(SIM_BOARDS);
  fs.rmSync(SIM_UP_MARKER, { force: true });
  process.stdout.write(`sim:down: the stack is destroyed and the simulated boards under ${simDir} are gone\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "up":
      return up();
    case "down":
      return down();
    case "pulumi":
      return pulumiCommand(rest);
    default:
      throw new UsageError("usage: main-job.ts up | down | pulumi ARGS... (npm run sim:up, sim:down, sim -- ARGS)");
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`sim: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
