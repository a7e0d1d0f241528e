import type { BoardSpec } from "./boards";

/** The boards of stacks/Pulumi.sim.yaml: index i answers at 10.213.7.(4i+2); indexes 10-13 keep clear of the scripts tier (1-6). */
export const SIM_BOARDS: BoardSpec[] = [
  { name: "sim-server", index: 10, kind: "nano", l4t: "R32.7.1" },
  { name: "sim-nano", index: 11, kind: "nano", l4t: "R32.7.1" },
  { name: "sim-xavier", index: 12, kind: "xavier", l4t: "R35.4.1" },
  { name: "sim-orin", index: 13, kind: "orin", l4t: "R36.3.0" },
];

/** The first index of the boards a benchmark adds to the sim stack (14 is the rehearsal's spare). */
const EXTRA_INDEX = 15;

/**
 * Boards beyond the sim stack's four, for measuring how provisioning grows with the board count:
 * Nano agents that run no model.
 */
export function extraBoards(count: number): BoardSpec[] {
  return Array.from({ length: count }, (_, i) => ({ name: `sim-extra-${i + 1}`, index: EXTRA_INDEX + i, kind: "nano", l4t: "R32.7.1" }));
}
