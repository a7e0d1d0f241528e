import { isDeepStrictEqual } from "util";
import type { StepInputs, StepOutputs } from "./step-state";

/**
 * The changed properties that call for a replacement: those naming another board, and the step's
 * own `replaceOn` values (what the step is about, e.g. which agent a server-side record is for).
 */
export function diffBoard(olds: StepOutputs, news: Pick<StepInputs, "connection"> & { step?: unknown }): string[] {
  const board = (["host", "port", "user"] as const).filter((key) => olds.connection?.[key] !== news.connection?.[key]).map((key) => `connection.${key}`);
  const newStep = typeof news.step === "object" && news.step !== null ? (news.step as StepInputs["step"]) : undefined;
  const identity = (olds.step?.replaceOn ?? [])
    .filter((key) => newStep !== undefined && olds.step.env[key] !== newStep.env?.[key])
    .map((key) => `step.env.${key}`);
  return [...board, ...identity];
}

/** What `pulumi up` must do with a host step, and why (for the provider's log and the tests). */
export interface StepDiff {
  changes: boolean;
  /** Properties whose change needs the step undone on the old board and applied on the new one. */
  replaces: string[];
  reasons: string[];
}

/**
 * The board a step runs on is its identity: a new address, port or user is another board, so the
 * step is undone on the old one before it is applied on the new one (delete before replace, so two
 * boards never hold one K3s node name at once); so are the step's `replaceOn` values. Anything
 * else the step reads, and drift found by the last refresh, runs `apply` again on the same board.
 */
export function diffStep(olds: StepOutputs, news: StepInputs): StepDiff {
  const reasons: string[] = [];
  const replaces = diffBoard(olds, news);
  if (replaces.length > 0) return { changes: true, replaces, reasons: replaces.map((key) => `${key} changed`) };

  if (olds.inSync === false) reasons.push("the board drifted from what apply left (found by refresh)");
  if (!isDeepStrictEqual(olds.step, news.step)) reasons.push("the step's script or values changed");
  if (!isDeepStrictEqual(olds.uploads?.files.map((f) => [f.target, f.sha256]), news.uploads?.files.map((f) => [f.target, f.sha256])) || olds.uploads?.dir !== news.uploads?.dir) {
    reasons.push("the files it copies changed");
  }
  if (!isDeepStrictEqual(olds.secrets ?? {}, news.secrets ?? {})) reasons.push("a secret it reads changed");
  if (olds.sudoPassword !== news.sudoPassword || olds.connection.privateKey !== news.connection.privateKey) {
    reasons.push("its credentials changed");
  }
  const tuning = (c: StepInputs["connection"]) => [c.hostKey, c.dialErrorLimit, c.perDialTimeout];
  if (!isDeepStrictEqual(tuning(olds.connection), tuning(news.connection))) reasons.push("its SSH settings changed");
  if (olds.undoable !== news.undoable || olds.secretFacts !== news.secretFacts) reasons.push("how it is kept changed");
  return { changes: reasons.length > 0, replaces: [], reasons };
}
