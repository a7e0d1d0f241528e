import { quantile } from "../summary/summarize";
import type { LoadRead } from "./manifest";
import type { ReadUntilLevel } from "../../domain/read-until";

export interface ReadUntilOptions {
  target: string;
  channels: number;
  /** Seconds of signal per chunk, and the interval a decision is due in (0.4 s in readfish setups). */
  chunkS: number;
  sampleRateHz: number;
  /** Decision intervals to send. */
  rounds: number;
}

/**
 * Each channel's chunk for a round: `chunkS x sampleRateHz` samples cut from the reads in turn, so
 * every channel sends real signal and no two channels send the same piece in a round.
 */
export function chunkFor(reads: readonly LoadRead[], channel: number, round: number, samples: number): number[] {
  const read = reads[(channel + round * 7) % reads.length];
  const pieces = Math.max(1, Math.floor(read.signal.length / samples));
  const start = ((channel + round) % pieces) * samples;
  const piece = read.signal.slice(start, start + samples);
  // A read shorter than a chunk is repeated: the service still gets a chunk's worth of signal.
  while (piece.length < samples) piece.push(...read.signal.slice(0, samples - piece.length));
  return piece;
}

/**
 * Sends, every `chunkS` seconds, one chunk per channel at once (open loop: a round goes out on time
 * whether or not the last was answered, as a sequencer's decisions do), and counts each answer that
 * came back within `chunkS` of its sending. A request still open after four intervals is given up.
 */
export async function runReadUntilLevel(reads: readonly LoadRead[], o: ReadUntilOptions): Promise<ReadUntilLevel> {
  const url = `${o.target.replace(/\/$/, "")}/v1/basecall`;
  const samples = Math.round(o.chunkS * o.sampleRateHz);
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let inTime = 0;
  const pending: Array<Promise<void>> = [];
  const started = performance.now();
  for (let round = 0; round < o.rounds; round++) {
    const due = started + round * o.chunkS * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    for (let channel = 0; channel < o.channels; channel++) {
      const body = JSON.stringify({ read_id: `ch${channel + 1}-r${round}`, signal: chunkFor(reads, channel, round, samples), sampling_rate: o.sampleRateHz });
      const sent = performance.now();
      pending.push(
        fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body, signal: AbortSignal.timeout(o.chunkS * 4000) })
          .then(async (response) => {
            const answer = (await response.json().catch(() => undefined)) as { sequence?: unknown } | undefined;
            if (!response.ok || typeof answer?.sequence !== "string") {
              const key = response.ok ? "bad-response" : String(response.status);
              errors[key] = (errors[key] ?? 0) + 1;
              return;
            }
            const seconds = (performance.now() - sent) / 1000;
            latencies.push(seconds);
            if (seconds <= o.chunkS) inTime += 1;
          })
          .catch(() => {
            errors.timeout = (errors.timeout ?? 0) + 1;
          }),
      );
    }
  }
  await Promise.all(pending);
  const sorted = [...latencies].sort((a, b) => a - b);
  const chunks = o.channels * o.rounds;
  return {
    channels: o.channels,
    chunks,
    in_time: inTime,
    in_time_share: chunks === 0 ? 0 : inTime / chunks,
    errors,
    latency_p50_s: quantile(sorted, 0.5),
    latency_p95_s: quantile(sorted, 0.95),
  };
}
