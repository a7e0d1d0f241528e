import { CliError } from "../common/cli-error";
import { assertOutputWritable, refuseInputAsOutput, writeOutputFile } from "../common/output-file";
import type { LoadRead } from "../loadgen/manifest";
import { runReadUntilLevel } from "../loadgen/read-until";
import { ReadUntilLevel, ReadUntilReport, servedChannels } from "../../domain/read-until";

export interface ReadUntilArgs {
  target: string;
  manifest: string;
  reads: readonly LoadRead[];
  channels?: string;
  chunkS?: string;
  sampleRateHz?: string;
  rounds?: string;
  inTime?: string;
  out?: string;
  json: boolean;
}

function positive(value: string, flag: string, integer: boolean): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new CliError(`${flag} must be a positive ${integer ? "integer" : "number"}, got ${value}`);
  return n;
}

/**
 * `edgecall loadgen --read-until`: adaptive sampling's load on a model service. Per channel count,
 * every `--chunk-s` (0.4 s) one chunk of that much signal per channel; the report says which share
 * came back in time and the largest channel count served (at least `--in-time` of them, 0.95).
 */
export async function readUntil(a: ReadUntilArgs): Promise<number> {
  const channels = (a.channels ?? "64,128,256,512").split(",").map((v) => positive(v.trim(), "--channels", true));
  const chunkS = a.chunkS === undefined ? 0.4 : positive(a.chunkS, "--chunk-s", false);
  const sampleRateHz = a.sampleRateHz === undefined ? 5000 : positive(a.sampleRateHz, "--sample-rate-hz", false);
  const rounds = a.rounds === undefined ? 10 : positive(a.rounds, "--rounds", true);
  const goal = a.inTime === undefined ? 0.95 : positive(a.inTime, "--in-time", false);
  if (goal > 1) throw new CliError(`--in-time is a share of the chunks, at most 1, got ${a.inTime}`);
  if (a.out !== undefined) {
    refuseInputAsOutput(a.out, [a.manifest], "--out");
    assertOutputWritable(a.out, "--out");
  }
  const levels: ReadUntilLevel[] = [];
  for (const count of channels) levels.push(await runReadUntilLevel(a.reads, { target: a.target, channels: count, chunkS, sampleRateHz, rounds }));
  const report: ReadUntilReport = { target: a.target, chunk_s: chunkS, sample_rate_hz: sampleRateHz, in_time_goal: goal, levels, served_channels: servedChannels(levels, goal) };
  if (a.out !== undefined) writeOutputFile(a.out, `${JSON.stringify(report, null, 2)}\n`, "--out");
  if (a.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write("channels\tchunks\tin_time\terrors\tp50_s\tp95_s\n");
    const f = (v: number | null): string => (v === null ? "NA" : v.toFixed(3));
    for (const l of levels) {
      const errors = Object.values(l.errors).reduce((x, y) => x + y, 0);
      process.stdout.write(`${l.channels}\t${l.chunks}\t${(l.in_time_share * 100).toFixed(1)}%\t${errors}\t${f(l.latency_p50_s)}\t${f(l.latency_p95_s)}\n`);
    }
    process.stdout.write(`served in time (${(goal * 100).toFixed(0)}% of chunks within ${chunkS} s): ${report.served_channels === null ? "no channel count" : `${report.served_channels} channels`}\n`);
  }
  return 0;
}
