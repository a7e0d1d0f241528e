import { spawnSync } from "child_process";
import { expect } from "vitest";
import { parseCheckOutput, parseStepOutput, type HostStep } from "../../components/remote/remote-step";
import { BoardSpec, CommandResult, SimBoard, runStep, snapshot, startBoards, stopBoards } from "../sim/boards";

/** What the scripts tier needs on the machine; `npm test` installs it (test/setup/install-scripts-tier.sh). */
const REQUIRED_COMMANDS = ["ssh", "sshd", "ssh-keygen", "ip", "nsenter", "unshare", "shellcheck", "sudo", "python3", "mkswap"];

function missingRequirements(): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push("root (simulated boards use network and mount namespaces)");
  for (const command of REQUIRED_COMMANDS) {
    const found = spawnSync("bash", ["-c", `command -v ${command}`], { env: { PATH: `${process.env.PATH}:/usr/sbin:/sbin` } });
    if (found.status !== 0) missing.push(command);
  }
  return missing;
}

const missing = missingRequirements();
if (missing.length > 0 && process.env.CI === "true") {
  throw new Error(`the scripts tier needs ${missing.join(", ")}: run test/setup/install-scripts-tier.sh as root`);
}
/** Why the tier cannot run here (outside CI it is skipped with this reason), or undefined. */
export const skipReason =
  missing.length > 0 ? `scripts tier skipped: needs ${missing.join(", ")} (run test/setup/install-scripts-tier.sh as root)` : undefined;
if (skipReason !== undefined) console.warn(skipReason);

/** Boards started from a clean state: a board left over from an interrupted run is taken down first. */
export async function freshBoards(specs: BoardSpec[]): Promise<SimBoard[]> {
  await stopBoards(specs);
  return startBoards(specs);
}

/** Runs a step that must succeed; returns its facts and whether it changed the board. */
export async function stepOk(
  board: SimBoard,
  step: HostStep,
  action: "apply" | "delete",
  secrets?: Record<string, string>,
): Promise<{ facts: Record<string, string>; changed: boolean; result: CommandResult }> {
  const result = await runStep(board, step, action, { secrets });
  if (result.code !== 0) {
    throw new Error(`${step.name} ${action} on ${board.name} exited ${result.code}: ${result.stderr.trim()}`);
  }
  for (const [name, value] of Object.entries(secrets ?? {})) {
    expect(result.stdout + result.stderr, `secret ${name} appeared in the output of ${step.name} ${action}`).not.toContain(value);
  }
  return { ...parseStepOutput(result.stdout), result };
}

/** Runs a step's check (what `pulumi refresh` does), which must succeed; returns its verdict. */
export async function stepCheck(
  board: SimBoard,
  step: HostStep,
  secrets?: Record<string, string>,
): Promise<{ facts: Record<string, string>; inSync: boolean }> {
  const result = await runStep(board, step, "check", { secrets });
  if (result.code !== 0) throw new Error(`${step.name} check on ${board.name} exited ${result.code}: ${result.stderr.trim()}`);
  return parseCheckOutput(result.stdout);
}

/** Runs a step that must fail; returns its stderr. */
export async function stepFails(
  board: SimBoard,
  step: HostStep,
  action: "apply" | "delete" = "apply",
  secrets?: Record<string, string>,
): Promise<string> {
  const result = await runStep(board, step, action, { secrets });
  expect(result.code, `${step.name} ${action} should fail; stdout: ${result.stdout}`).not.toBe(0);
  return result.stderr.trim();
}

/**
 * The contract of every step that changes a board: apply changes it, a second apply changes
 * nothing, delete brings the board back to how it was, a second delete changes nothing.
 * Returns the facts of the first apply for step-specific checks.
 */
export async function expectIdempotentCycle(
  board: SimBoard,
  step: HostStep,
  options: { secrets?: Record<string, string>; afterApply?: () => Promise<void> } = {},
): Promise<Record<string, string>> {
  const before = await snapshot(board);
  expect((await stepCheck(board, step, options.secrets)).inSync, `check of ${step.name} before apply`).toBe(false);
  expect(await snapshot(board), `check of ${step.name} changed files`).toEqual(before);

  const first = await stepOk(board, step, "apply", options.secrets);
  expect(first.changed, `first apply of ${step.name} on ${board.name}`).toBe(true);
  const applied = await snapshot(board);
  expect(applied, `${step.name} apply should change the board`).not.toEqual(before);
  if (options.afterApply) await options.afterApply();
  expect((await stepCheck(board, step, options.secrets)).inSync, `check of ${step.name} after apply`).toBe(true);
  expect(await snapshot(board), `check of ${step.name} changed files`).toEqual(applied);

  const second = await stepOk(board, step, "apply", options.secrets);
  expect(second.changed, `second apply of ${step.name} on ${board.name}`).toBe(false);
  expect(await snapshot(board), `second apply of ${step.name} changed files`).toEqual(applied);

  const removed = await stepOk(board, step, "delete", options.secrets);
  expect(removed.changed, `delete of ${step.name} on ${board.name}`).toBe(true);
  expect(await snapshot(board), `delete of ${step.name} should restore the board`).toEqual(before);

  const again = await stepOk(board, step, "delete", options.secrets);
  expect(again.changed, `second delete of ${step.name} on ${board.name}`).toBe(false);
  expect(await snapshot(board)).toEqual(before);
  return first.facts;
}
