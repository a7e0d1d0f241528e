import { parseOptions, requireOption } from "../common/args";
import { CliError, runCommand } from "../common/cli-error";
import { maskUrl } from "../../domain/mask-url";
import { assertOutputWritable, refuseInputAsOutput, writeOutputFile } from "../common/output-file";
import { readLoadManifest } from "../loadgen/manifest";
import { LevelResult, runLevel } from "../loadgen/run-level";
import { readUntil } from "./loadgen-read-until";

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new CliError(`${flag} must be a positive integer, got ${value}`);
  return n;
}

function positiveSeconds(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`${flag} must be a positive number of seconds, got ${value}`);
  return n;
}

export const usage =
  "usage: edgecall loadgen --target URL --concurrency 1,2,4,8 --manifest FILE [--requests N] [--duration-s S] [--timeout-s S] [--out FILE] [--json]\n" +
  "       edgecall loadgen --read-until --target URL --manifest FILE [--channels 64,128,256,512] [--chunk-s 0.4] [--sample-rate-hz 5000] [--rounds 10] [--in-time 0.95] [--out FILE] [--json]\n";

/** `edgecall loadgen --target URL --concurrency 1,2,4,8 --manifest FILE [--requests N] [--duration-s S] [--timeout-s S] [--out FILE] [--json]` */
export function main(argv: string[]): Promise<number> {
  return runCommand("loadgen", async () => {
    const { values } = parseOptions(argv, {
      target: { type: "string" },
      concurrency: { type: "string" },
      manifest: { type: "string" },
      requests: { type: "string" },
      "duration-s": { type: "string" },
      "timeout-s": { type: "string" },
      out: { type: "string" },
      json: { type: "boolean" },
      "read-until": { type: "boolean" },
      channels: { type: "string" },
      "chunk-s": { type: "string" },
      "sample-rate-hz": { type: "string" },
      rounds: { type: "string" },
      "in-time": { type: "string" },
    });
    const target = requireOption(values.target, "--target");
    if (!/^https?:\/\/\S+$/.test(target)) throw new CliError(`--target must be an http:// or https:// URL, got ${maskUrl(target)}`);
    if (values["read-until"] === true) {
      const manifest = requireOption(values.manifest, "--manifest");
      return readUntil({
        target, manifest, reads: readLoadManifest(manifest), channels: values.channels, chunkS: values["chunk-s"], sampleRateHz: values["sample-rate-hz"],
        rounds: values.rounds, inTime: values["in-time"], out: values.out, json: values.json === true,
      });
    }
    const levels = requireOption(values.concurrency, "--concurrency").split(",").map((v) => positiveInt(v.trim(), "--concurrency"));
    const manifest = requireOption(values.manifest, "--manifest");
    const reads = readLoadManifest(manifest);
    const requests = values.requests === undefined ? reads.length : positiveInt(values.requests, "--requests");
    // Checked before the run, so a long measurement is not lost to a typo in --out.
    if (values.out !== undefined) {
      refuseInputAsOutput(values.out, [manifest], "--out");
      assertOutputWritable(values.out, "--out");
    }
    const durationS = values["duration-s"] === undefined ? undefined : positiveSeconds(values["duration-s"], "--duration-s");
    const timeoutMs = (values["timeout-s"] === undefined ? 60 : positiveSeconds(values["timeout-s"], "--timeout-s")) * 1000;
    const results: LevelResult[] = [];
    for (const concurrency of levels) {
      // At least one request per slot, so every level really reaches its concurrency.
      results.push(await runLevel(reads, { target, concurrency, requests: Math.max(requests, concurrency), durationS, timeoutMs }));
    }
    const report = { target, levels: results };
    if (values.out !== undefined) writeOutputFile(values.out, `${JSON.stringify(report, null, 2)}\n`, "--out");
    if (values.json === true) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      process.stdout.write("concurrency\trequests\terrors\treads_per_s\tbases_per_s\tp50_s\tp95_s\tp99_s\n");
      for (const r of results) {
        const errors = Object.values(r.errors).reduce((a, b) => a + b, 0);
        const f = (v: number | null): string => (v === null ? "NA" : v.toFixed(3));
        process.stdout.write(`${r.concurrency}\t${r.requests}\t${errors}\t${r.reads_per_s.toFixed(2)}\t${r.bases_per_s.toFixed(1)}\t${f(r.latency_p50_s)}\t${f(r.latency_p95_s)}\t${f(r.latency_p99_s)}\n`);
      }
    }
    const dead = results.find((r) => r.succeeded === 0);
    if (dead !== undefined) {
      const errors = Object.entries(dead.errors).map(([kind, n]) => `${n} ${kind}`).join(", ");
      throw new CliError(`no request to ${maskUrl(target)}/v1/basecall succeeded at concurrency ${dead.concurrency} (failures: ${errors})`);
    }
    return 0;
  });
}
