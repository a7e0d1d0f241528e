import * as fs from "fs";
import type { PulumiResult, SimProject } from "../../sim/sim-project";

/** Wall time of one `pulumi` run and where it went, from the provider's timeline. */
export interface Timed {
  seconds: number;
  /** From the start to the first host step the engine starts: CLI, language host, program. */
  beforeHostSteps: number;
  /** From the first host step started to the last one ended. */
  hostSteps: number;
}

/** The figures `npm run bench:provision` prints for one board count. */
export interface ProvisionRound {
  boards: number;
  firstUp: Timed;
  noChangeUp: number;
  refreshUp: number;
  destroy: number;
}

/**
 * Runs `pulumi ARGS`, which must succeed; the provider's timeline (EDGECALL_PROVIDER_TIMELINE,
 * set on the project's environment to `timeline`) tells when the first host step started and the
 * last one ended.
 */
export async function timedPulumi(project: SimProject, timeline: string, args: string[]): Promise<Timed & { result: PulumiResult }> {
  fs.rmSync(timeline, { force: true });
  const started = Date.now();
  const result = await project.pulumi(args, { timeoutMs: 900_000 });
  if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  const operations = fs.existsSync(timeline)
    ? fs
        .readFileSync(timeline, "utf8")
        .split("\n")
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as { start: number; end: number })
    : [];
  const first = Math.min(...operations.map((o) => o.start));
  const last = Math.max(...operations.map((o) => o.end));
  return {
    result,
    seconds: result.seconds,
    beforeHostSteps: operations.length === 0 ? result.seconds : (first - started) / 1000,
    hostSteps: operations.length === 0 ? 0 : (last - first) / 1000,
  };
}

/**
 * Where the rehearsal leaves its own four-board figures for bench:provision, which then need not
 * run that round again (EDGECALL_PROVISION_FIGURES; `npm test` sets it).
 */
export const REHEARSAL_FIGURES = process.env.EDGECALL_PROVISION_FIGURES;

export function saveRound(file: string, round: ProvisionRound): void {
  fs.writeFileSync(file, `${JSON.stringify(round, null, 2)}\n`);
}

/** The round saved in `file`, or undefined where there is none or it is not whole. */
export function loadRound(file: string): ProvisionRound | undefined {
  if (!fs.existsSync(file)) return undefined;
  const round = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<ProvisionRound>;
  const numbers = [round.boards, round.firstUp?.seconds, round.firstUp?.beforeHostSteps, round.firstUp?.hostSteps, round.noChangeUp, round.refreshUp, round.destroy];
  return numbers.every((n) => typeof n === "number" && Number.isFinite(n)) ? (round as ProvisionRound) : undefined;
}
