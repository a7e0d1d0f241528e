import type { TestProject } from "vitest/node";
import { BOARD_INDEXES, holdSimBoards } from "../sim/run-lock";

/**
 * Global setup of the tiers that run simulated boards (scripts, e2e): the tier holds its own board
 * indexes for its whole run (test/sim/run-lock.ts), so the two tiers may run side by side. Without
 * root the tiers skip and start no board, so there is nothing to hold.
 */
export default async function holdBoardsForTier(project: TestProject): Promise<(() => void) | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const name = project.name;
  if (name !== "scripts" && name !== "e2e") throw new Error(`sim-boards.global.ts: no board indexes for the ${name} tier (test/sim/run-lock.ts BOARD_INDEXES)`);
  const { release } = await holdSimBoards(`the ${name} tier`, BOARD_INDEXES[name]);
  return release;
}
