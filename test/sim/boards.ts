import { spawn } from "child_process";
import * as path from "path";
import { HostStep, StepAction, renderStep, renderStepCommand, renderStepStdin } from "../../components/remote/remote-step";

/** Simulated Jetson boards (test/sim/sim-board.sh) for the scripts and e2e tiers. Needs root. */

export type BoardKind = "nano" | "xavier" | "orin";

export interface BoardSpec {
  name: string;
  /** 0..62; picks the board's address, so two boards running at once need different indexes. */
  index: number;
  kind: BoardKind;
  /** Written to the board's /etc/nv_tegra_release, e.g. `R32.7.1`. */
  l4t: string;
}

export interface SimBoard extends BoardSpec {
  host: string;
  port: number;
  user: string;
  /** The private key that the board's user accepts. */
  keyPath: string;
  /** What sudo asks the board's user for. */
  sudoPassword: string;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const simBoardScript = path.join(__dirname, "sim-board.sh");
export const simDir = process.env.EDGECALL_SIM_DIR ?? "/tmp/edgecall-sim";
/** The sudo password of every simulated board's user (sim-board.sh sets it). */
export const SIM_SUDO_PASSWORD = "edgecall-sim-sudo";
/** The air-gap files (emulated `k3s`, `install.sh`, a tiny image tarball) for `k3s.airgap`. */
export const simAirgapDir = path.join(__dirname, "k3s-airgap");

const SIM_COMMAND_TIMEOUT_MS = 60_000;
const SSH_TIMEOUT_MS = 120_000;

/** Runs a program with a time bound; never rejects on a non-zero exit. */
export function runProgram(
  file: string,
  args: string[],
  options: { input?: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ["pipe", "pipe", "pipe"], env: options.env ?? process.env });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (signal === "SIGKILL") stderr += `\n${file} killed after ${options.timeoutMs} ms`;
      resolve({ code: code ?? 128, stdout, stderr });
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}

async function simBoard(args: string[], input?: string, env?: NodeJS.ProcessEnv, timeoutMs = SIM_COMMAND_TIMEOUT_MS): Promise<string> {
  const result = await runProgram(simBoardScript, args, { input, timeoutMs, env });
  if (result.code !== 0) {
    throw new Error(`sim-board.sh ${args.slice(0, 2).join(" ")} failed: ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/**
 * Starts the boards (or keeps them if already up) and says how to reach them. With `cluster` (the
 * env file of test/sim/cluster.ts) they can run a real cluster node, and hold its images already.
 */
export async function startBoards(specs: BoardSpec[], options: { cluster?: string } = {}): Promise<SimBoard[]> {
  const env = { ...process.env, EDGECALL_SIM_CLUSTER: options.cluster ?? "" };
  const start = async (spec: BoardSpec): Promise<SimBoard> => {
    const host = (await simBoard(["up", spec.name, String(spec.index), spec.kind, spec.l4t], undefined, env)).trim();
    return { ...spec, host, port: 22, user: "jetson", keyPath: path.join(simDir, "id_ed25519"), sudoPassword: SIM_SUDO_PASSWORD };
  };
  // The first board makes the test key the others share; then the rest side by side.
  if (specs.length === 0) return [];
  const first = await start(specs[0]);
  return [first, ...(await Promise.all(specs.slice(1).map(start)))];
}

/** Stops the boards, side by side, and removes everything they wrote. */
export async function stopBoards(boards: Array<Pick<BoardSpec, "name">>): Promise<void> {
  // A cluster board's directory holds its containerd store, whose removal can take a while on a busy machine.
  const results = await Promise.allSettled(boards.map((board) => simBoard(["down", board.name], undefined, undefined, 300_000)));
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed.length > 0) throw new Error(failed.map((r) => (r.reason instanceof Error ? r.reason.message : String(r.reason))).join("\n"));
}

/** Makes a board unreachable (its sshd stops) until `startSshd`. */
export async function stopSshd(board: Pick<BoardSpec, "name">): Promise<void> {
  await simBoard(["stop-sshd", board.name]);
}

export async function startSshd(board: Pick<BoardSpec, "name">): Promise<void> {
  await simBoard(["start-sshd", board.name]);
}

/** Runs a shell command as root on the board, bypassing SSH: for setting up and inspecting tests. */
export async function boardShell(board: Pick<BoardSpec, "name">, script: string, input?: string): Promise<CommandResult> {
  return runProgram(simBoardScript, ["exec", board.name, "bash", "-c", script], {
    input,
    timeoutMs: SIM_COMMAND_TIMEOUT_MS,
  });
}

/** Like `boardShell`, but fails the test when the command fails, and returns its stdout. */
export async function boardShellOk(board: Pick<BoardSpec, "name">, script: string, input?: string): Promise<string> {
  const result = await boardShell(board, script, input);
  if (result.code !== 0) throw new Error(`on ${board.name}: '${script}' exited ${result.code}: ${result.stderr.trim()}`);
  return result.stdout;
}

/**
 * How the board differs from the host's root: path -> "TYPE MODE UID:GID SHA256" (or "absent").
 * Runtime noise (/run, /tmp, /var/log, sudo's timestamps, sshd's pid) is left out, and a file put
 * back byte-for-byte with its mode and owner counts as no difference.
 */
export async function snapshot(board: Pick<BoardSpec, "name">): Promise<Record<string, string>> {
  const out = await simBoard(["snapshot", board.name]);
  const entries: Record<string, string> = {};
  for (const line of out.split("\n")) {
    const tab = line.indexOf("\t");
    if (tab > 0) entries[line.slice(0, tab)] = line.slice(tab + 1);
  }
  return entries;
}

/** The OpenSSH client arguments for a board, as a user would connect (key only, no prompts). */
export function sshArgs(board: SimBoard, remoteCommand: string): string[] {
  return [
    "-i",
    board.keyPath,
    "-p",
    String(board.port),
    "-o",
    "BatchMode=yes",
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "LogLevel=ERROR",
    "-o",
    "ConnectTimeout=5",
    `${board.user}@${board.host}`,
    remoteCommand,
  ];
}

export interface StepRunOptions {
  /** Defaults to the board's sudo password; `null` sends none. */
  sudoPassword?: string | null;
  secrets?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * Runs a host step on a board exactly as Pulumi sends it: the command line from
 * `renderStepCommand` and the stdin from `renderStepStdin`, through the real OpenSSH client.
 */
export async function runStep(
  board: SimBoard,
  step: HostStep,
  action: StepAction,
  options: StepRunOptions = {},
): Promise<CommandResult> {
  const password = options.sudoPassword === null ? undefined : (options.sudoPassword ?? board.sudoPassword);
  return runProgram("ssh", sshArgs(board, renderStepCommand(renderStep(step), action)), {
    input: renderStepStdin(password, options.secrets),
    timeoutMs: options.timeoutMs ?? SSH_TIMEOUT_MS,
  });
}

/** Copies a local directory to `remoteDir` on the board as its user over SFTP, as Pulumi's CopyToRemote does. */
export async function copyToBoard(board: SimBoard, localDir: string, remoteDir: string): Promise<void> {
  const options = sshArgs(board, "").slice(0, -2).map((arg) => (arg === "-p" ? "-P" : arg));
  const result = await runProgram("scp", ["-q", "-r", ...options, localDir, `${board.user}@${board.host}:${remoteDir}`], {
    timeoutMs: SSH_TIMEOUT_MS,
  });
  if (result.code !== 0) throw new Error(`scp of ${localDir} to ${board.name}:${remoteDir} failed: ${result.stderr.trim()}`);
}
