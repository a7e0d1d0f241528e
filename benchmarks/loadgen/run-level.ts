import { quantile } from "../summary/summarize";
import { LoadRead } from "./manifest";
import type { LevelResult } from "../../domain/load-report";

/** What one concurrency level measured (domain/load-report.ts). */
export type { LevelResult };


export interface LevelOptions {
  target: string;
  concurrency: number;
  /** Requests to send at this level (reads are cycled). */
  requests: number;
  /** Stop starting new requests after this many seconds. */
  durationS?: number;
  /** Per-request limit. */
  timeoutMs: number;
}

/**
 * Sends `requests` reads to `POST {target}/v1/basecall` keeping exactly `concurrency` requests in
 * flight (fewer only at the end), and measures latency and throughput.
 */
export async function runLevel(reads: readonly LoadRead[], options: LevelOptions): Promise<LevelResult> {
  const url = `${options.target.replace(/\/$/, "")}/v1/basecall`;
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let bases = 0;
  let next = 0;
  const started = performance.now();
  const deadline = options.durationS === undefined ? Infinity : started + options.durationS * 1000;

  const worker = async (): Promise<void> => {
    while (next < options.requests && performance.now() < deadline) {
      const read = reads[next % reads.length];
      next += 1;
      const sent = performance.now();
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ read_id: read.read_id, signal: read.signal, sampling_rate: read.sampling_rate }),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        const body = (await response.json().catch(() => undefined)) as { sequence?: unknown } | undefined;
        if (response.ok && typeof body?.sequence === "string") {
          latencies.push((performance.now() - sent) / 1000);
          bases += body.sequence.length;
        } else {
          const key = response.ok ? "bad-response" : String(response.status);
          errors[key] = (errors[key] ?? 0) + 1;
        }
      } catch {
        errors.network = (errors.network ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    concurrency: options.concurrency,
    requests: next,
    succeeded: latencies.length,
    errors,
    seconds,
    reads_per_s: latencies.length / seconds,
    bases_per_s: bases / seconds,
    latency_mean_s: sorted.length === 0 ? null : sorted.reduce((a, b) => a + b, 0) / sorted.length,
    latency_p50_s: quantile(sorted, 0.5),
    latency_p95_s: quantile(sorted, 0.95),
    latency_p99_s: quantile(sorted, 0.99),
  };
}
