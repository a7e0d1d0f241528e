import { spawn } from "child_process";
import * as fs from "fs";
import { CliError } from "../common/cli-error";
import { parseLiveLine } from "./tegrastats";

export interface RecordOptions {
  out: string;
  intervalMs: number;
  /** Stop after this many seconds; undefined records until the process is stopped. */
  durationS?: number;
  tegrastats?: string;
}

/**
 * Runs tegrastats and appends one JSON sample per line to `out`, timed by this host's wall clock
 * when the line arrives (JetPack 4's tegrastats prints no time). Resolves with the sample count.
 */
export function recordTegrastats(options: RecordOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(options.out, { flags: "a" });
    const child = spawn(options.tegrastats ?? "tegrastats", ["--interval", String(options.intervalMs)], { stdio: ["ignore", "pipe", "pipe"] });
    let count = 0;
    let buffered = "";
    const stop = (): void => {
      child.kill("SIGTERM");
    };
    const timer = options.durationS === undefined ? undefined : setTimeout(stop, options.durationS * 1000);
    // A write that fails (disk full, file removed) ends the recording with the reason.
    out.on("error", (error) => {
      stop();
      reject(new CliError(`${options.out}: cannot write (${error.message})`));
    });
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        const fields = parseLiveLine(line);
        if (fields === undefined) continue;
        out.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);
        count += 1;
      }
    });
    child.on("error", (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.on("close", () => {
      if (timer) clearTimeout(timer);
      out.end(() => resolve(count));
    });
  });
}
