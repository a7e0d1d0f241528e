import { spawn } from "child_process";
import * as fs from "fs";

export interface Measured {
  seconds: number;
  /** The process's own peak resident set (VmHWM), in MB; its children are not counted. */
  peakRssMb: number;
  code: number | null;
  stderr: string;
}

function highWaterMb(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match === null ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}

/**
 * Runs a command with stdout to a file (or nowhere) and measures its wall time and its own peak
 * RSS. VmHWM is a high-water mark, so polling it misses nothing but a peak in the last few
 * milliseconds before exit; /usr/bin/time would report the larger of the process and its
 * children, which for `evaluate` is minimap2.
 */
export function measure(command: string, args: readonly string[], stdout: number | "ignore" = "ignore"): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ["ignore", stdout, "pipe"] });
    let peak = 0;
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const poll = setInterval(() => {
      if (child.pid !== undefined) peak = Math.max(peak, highWaterMb(child.pid) ?? 0);
    }, 20);
    child.on("error", (error) => {
      clearInterval(poll);
      reject(error);
    });
    child.on("exit", () => {
      clearInterval(poll);
    });
    child.on("close", (code) => resolve({ seconds: Number(process.hrtime.bigint() - start) / 1e9, peakRssMb: peak, code, stderr }));
  });
}
