import type { TestProject } from "vitest/node";
import { holdSimBoards } from "../sim/run-lock";

/**
 * Global setup of the tiers that run simulated boards (scripts, e2e): the tier holds the machine's
 * boards for its whole run (test/sim/run-lock.ts). Without root the tiers skip and start no board,
 * so there is nothing to hold.
 */
export default async function holdBoardsForTier(project: TestProject): Promise<(() => void) | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const { release } = await holdSimBoards(`the ${project.name} tier`);
  return release;
}
