import { spawn } from "child_process";
import * as http from "http";
import { AddressInfo } from "net";
import * as readline from "readline";
import { CliError } from "../common/cli-error";
import { CONTENT_TYPE, ExporterState, renderMetrics } from "./prometheus";
import { TelemetrySample } from "./sample";
import { parseLiveLine } from "./tegrastats";

/** A source that is producing samples. */
export interface RunningSource {
  /** Settles with the reason if the source ends without being stopped (tegrastats exited). */
  ended: Promise<CliError>;
  /** Stops the source; resolves once it has (tegrastats' process has exited). */
  stop(): Promise<void>;
}

/** Starts a source that hands each sample it takes to `onSample`. */
export type SourceStarter = (onSample: (sample: TelemetrySample) => void) => RunningSource;

// How long tegrastats has to end after SIGTERM before it is killed.
const KILL_AFTER_MS = 3000;

/**
 * Samples from tegrastats run as `COMMAND --interval N`, each timed by this host's clock when its
 * line arrives (as `telemetry record` does).
 */
export function tegrastatsSource(intervalMs: number, command = "tegrastats"): SourceStarter {
  return (onSample) => {
    const child = spawn(command, ["--interval", String(intervalMs)], { stdio: ["ignore", "pipe", "pipe"] });
    let stopping = false;
    let lastError = "";
    let settle: (reason: CliError) => void = () => undefined;
    const ended = new Promise<CliError>((resolve) => {
      settle = resolve;
    });
    const exited = new Promise<void>((resolve) => {
      child.on("close", (code, signal) => {
        resolve();
        if (stopping) return;
        const how = code === null ? `was killed by ${signal}` : `exited with code ${code}`;
        settle(new CliError(`tegrastats ${how}${lastError === "" ? "" : `: ${lastError}`}`));
      });
      child.on("error", (error: NodeJS.ErrnoException) => {
        // A process that never started emits no close.
        if (child.pid === undefined) resolve();
        settle(error.code === "ENOENT" ? new CliError(`${command} not found: run on a Jetson (L4T) or use --source sysfs`) : new CliError(`${command}: ${error.message}`));
      });
    });
    readline.createInterface({ input: child.stdout, crlfDelay: Infinity }).on("line", (line) => {
      const fields = parseLiveLine(line);
      if (fields !== undefined) onSample({ time: new Date().toISOString(), ...fields });
    });
    // Its last line of complaint names the problem if it exits (e.g. not run as root).
    readline.createInterface({ input: child.stderr, crlfDelay: Infinity }).on("line", (line) => {
      if (line.trim() !== "") lastError = line.trim().slice(0, 300);
    });
    return {
      ended,
      async stop() {
        stopping = true;
        if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
          child.kill("SIGTERM");
          const killer = setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS);
          await exited;
          clearTimeout(killer);
        }
        await exited;
      },
    };
  };
}

/** A sample from sysfs (rails, GPU, thermal zones, memory) every `intervalMs`, for boards without tegrastats. */
export function sysfsSource(sample: () => TelemetrySample, intervalMs: number): SourceStarter {
  return (onSample) => {
    let timer: NodeJS.Timeout | undefined;
    let settle: (reason: CliError) => void = () => undefined;
    const ended = new Promise<CliError>((resolve) => {
      settle = resolve;
    });
    const tick = (): void => {
      try {
        onSample(sample());
      } catch (error) {
        settle(new CliError(`reading sysfs: ${error instanceof Error ? error.message : String(error)}`));
        return;
      }
      timer = setTimeout(tick, intervalMs);
    };
    tick();
    return {
      ended,
      async stop() {
        clearTimeout(timer);
      },
    };
  };
}

export interface ServeOptions {
  host: string;
  port: number;
  source: SourceStarter;
  /** Aborting it (SIGTERM) stops the source and the server; the promise then resolves. */
  signal: AbortSignal;
  /** Told the address once the server listens. */
  onListening?: (url: string) => void;
}

function respond(state: ExporterState, request: http.IncomingMessage, response: http.ServerResponse): void {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  const send = (status: number, body: string, contentType = "text/plain; charset=utf-8"): void => {
    response.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body) });
    response.end(request.method === "HEAD" ? undefined : body);
  };
  if (path !== "/metrics" && path !== "/healthz") return send(404, "not found: try /metrics or /healthz\n");
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.setHeader("Allow", "GET, HEAD");
    return send(405, "method not allowed\n");
  }
  if (path === "/metrics") return send(200, renderMetrics(state), CONTENT_TYPE);
  if (state.latest === undefined) return send(503, "no sample yet\n");
  send(200, "ok\n");
}

function listen(server: http.Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", (error) => reject(new CliError(`cannot listen on ${host}:${port} (${error.message})`)));
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}

/**
 * Serves the latest sample of `source` at `GET /metrics` (Prometheus text format) and
 * `GET /healthz` (200 once a sample arrived, 503 before) until `signal` is aborted; then stops the
 * source and resolves with the number of samples taken. Rejects with a CliError if the server
 * cannot listen or the source ends by itself.
 */
export async function serveMetrics(options: ServeOptions): Promise<number> {
  const state: ExporterState = { samplesTotal: 0 };
  const server = http.createServer((request, response) => respond(state, request, response));
  const address = await listen(server, options.host, options.port);
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  options.onListening?.(`http://${host}:${address.port}`);
  let running: RunningSource | undefined;
  try {
    if (options.signal.aborted) return 0;
    running = options.source((sample) => {
      state.latest = sample;
      state.samplesTotal += 1;
    });
    const aborted = new Promise<void>((resolve) => options.signal.addEventListener("abort", () => resolve(), { once: true }));
    const failure = await Promise.race([aborted.then(() => undefined), running.ended]);
    if (failure !== undefined) throw failure;
    return state.samplesTotal;
  } finally {
    await running?.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
