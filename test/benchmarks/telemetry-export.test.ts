import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { CliError } from "../../benchmarks/common/cli-error";
import { sysfsSource, serveMetrics, SourceStarter, tegrastatsSource } from "../../benchmarks/telemetry/export";
import { sampleRails } from "../../benchmarks/telemetry/ina3221";
import { escapeLabelValue, renderMetrics } from "../../benchmarks/telemetry/prometheus";
import { TelemetrySample } from "../../benchmarks/telemetry/sample";
import { parseTegrastats } from "../../benchmarks/telemetry/tegrastats";

const PROJECT = path.resolve(__dirname, "../..");
const data = (name: string): string => path.join(__dirname, "data", name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-export-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function samplesOf(log: string): TelemetrySample[] {
  return parseTegrastats(fs.readFileSync(data(log), "utf8"), { zone: "UTC", start: Date.UTC(2026, 10, 24, 10), intervalMs: 1000 }).samples;
}

/** The sample lines of an exposition, without HELP and TYPE. */
function sampleLines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
}

/**
 * Checks the text exposition format: every family has one HELP and one TYPE, before its samples and
 * next to them; every sample line is NAME{LABELS} VALUE with a finite value. Returns VALUE by
 * NAME{LABELS} (labels as written, escapes and all).
 */
function parseExposition(text: string): Map<string, number> {
  expect(text.endsWith("\n")).toBe(true);
  const values = new Map<string, number>();
  const seen = new Set<string>();
  let family: string | undefined;
  let typed = false;
  for (const line of text.slice(0, -1).split("\n")) {
    const help = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S.*$/.exec(line);
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter)$/.exec(line);
    if (help) {
      expect(seen.has(help[1]), `family ${help[1]} appears twice`).toBe(false);
      seen.add(help[1]);
      family = help[1];
      typed = false;
    } else if (type) {
      expect(type[1]).toBe(family);
      typed = true;
    } else {
      const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)((?:\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*\})?) (\S+)$/.exec(line);
      expect(sample, `not a sample line: ${line}`).not.toBeNull();
      if (sample === null) continue;
      expect(sample[1]).toBe(family);
      expect(typed).toBe(true);
      const value = Number(sample[3]);
      expect(Number.isFinite(value), `value of ${line}`).toBe(true);
      values.set(`${sample[1]}${sample[2]}`, value);
    }
  }
  return values;
}

describe("Prometheus rendering of telemetry samples", () => {
  it("writes every field of a Xavier NX (JetPack 5) line as a gauge, in the exposition format", () => {
    const [sample] = samplesOf("tegrastats-xavier-nx-jp5.log");
    const text = renderMetrics({ latest: sample, samplesTotal: 3 });
    parseExposition(text);
    expect(sampleLines(text)).toEqual([
      'edgecall_power_milliwatts{rail="VDD_IN"} 4162',
      'edgecall_power_milliwatts{rail="VDD_CPU_GPU_CV"} 520',
      'edgecall_power_milliwatts{rail="VDD_SOC"} 1280',
      'edgecall_power_average_milliwatts{rail="VDD_IN"} 4162',
      'edgecall_power_average_milliwatts{rail="VDD_CPU_GPU_CV"} 520',
      'edgecall_power_average_milliwatts{rail="VDD_SOC"} 1280',
      "edgecall_gpu_load_percent 0",
      "edgecall_gpu_frequency_megahertz 114",
      "edgecall_emc_load_percent 0",
      "edgecall_emc_frequency_megahertz 1600",
      'edgecall_cpu_load_percent{core="0"} 2',
      'edgecall_cpu_load_percent{core="1"} 0',
      'edgecall_cpu_load_percent{core="2"} 0',
      'edgecall_cpu_load_percent{core="3"} 1',
      'edgecall_cpu_frequency_megahertz{core="0"} 1190',
      'edgecall_cpu_frequency_megahertz{core="1"} 1190',
      'edgecall_cpu_frequency_megahertz{core="2"} 1190',
      'edgecall_cpu_frequency_megahertz{core="3"} 1190',
      "edgecall_ram_used_megabytes 2451",
      "edgecall_ram_total_megabytes 6854",
      "edgecall_swap_used_megabytes 0",
      'edgecall_temperature_celsius{sensor="AUX"} 35.5',
      'edgecall_temperature_celsius{sensor="CPU"} 37',
      'edgecall_temperature_celsius{sensor="thermal"} 36.35',
      'edgecall_temperature_celsius{sensor="AO"} 35.5',
      'edgecall_temperature_celsius{sensor="GPU"} 35',
      'edgecall_temperature_celsius{sensor="iwlwifi"} 36',
      'edgecall_temperature_celsius{sensor="PMIC"} 50',
      "edgecall_telemetry_samples_total 3",
      // 08-25-2026 10:12:01 UTC
      "edgecall_telemetry_last_sample_timestamp_seconds 1787652721",
    ]);
    expect(text).toContain("# TYPE edgecall_telemetry_samples_total counter\n");
    expect(text).toContain("# TYPE edgecall_power_milliwatts gauge\n");
  });

  it("leaves out what an Orin (JetPack 6) line lacks: EMC and GPU clock, cores that are off", () => {
    const text = renderMetrics({ latest: samplesOf("tegrastats-orin-jp6.log")[1], samplesTotal: 2 });
    const values = parseExposition(text);
    expect(values.get('edgecall_power_milliwatts{rail="VDD_IN"}')).toBe(9600);
    expect(values.get('edgecall_temperature_celsius{sensor="gpu"}')).toBe(50.5);
    expect(values.get('edgecall_cpu_load_percent{core="3"}')).toBe(20);
    expect([...values.keys()].filter((key) => key.startsWith("edgecall_cpu_load_percent"))).toHaveLength(4);
    expect(text).not.toMatch(/edgecall_emc_|edgecall_gpu_frequency|core="4"|core="5"|NaN|undefined|null/);
  });

  it("takes the first GPC's clock on AGX Orin and leaves out its sensors that read -256C (units off)", () => {
    const busy = samplesOf("tegrastats-agx-orin-jp5.log")[1];
    const values = parseExposition(renderMetrics({ latest: busy, samplesTotal: 1 }));
    expect(values.get("edgecall_gpu_frequency_megahertz")).toBe(1300);
    expect(values.get('edgecall_power_milliwatts{rail="VDD_GPU_SOC"}')).toBe(14000);
    expect(values.get('edgecall_temperature_celsius{sensor="GPU"}')).toBe(51.25);
    expect([...values.keys()].filter((key) => key.startsWith("edgecall_temperature_celsius"))).toEqual([
      'edgecall_temperature_celsius{sensor="CPU"}',
      'edgecall_temperature_celsius{sensor="SOC2"}',
      'edgecall_temperature_celsius{sensor="SOC0"}',
      'edgecall_temperature_celsius{sensor="GPU"}',
      'edgecall_temperature_celsius{sensor="tj"}',
      'edgecall_temperature_celsius{sensor="SOC1"}',
    ]);
  });

  it("writes a Nano (JetPack 4) line's bare-number rails and every other log's lines validly", () => {
    const nano = samplesOf("tegrastats-nano-jp4.log");
    expect(sampleLines(renderMetrics({ latest: nano[1], samplesTotal: 2 })).filter((l) => l.startsWith("edgecall_power"))).toEqual([
      'edgecall_power_milliwatts{rail="POM_5V_IN"} 6000',
      'edgecall_power_milliwatts{rail="POM_5V_GPU"} 3000',
      'edgecall_power_milliwatts{rail="POM_5V_CPU"} 1200',
      'edgecall_power_average_milliwatts{rail="POM_5V_IN"} 4030',
      'edgecall_power_average_milliwatts{rail="POM_5V_GPU"} 1500',
      'edgecall_power_average_milliwatts{rail="POM_5V_CPU"} 740',
    ]);
    for (const log of fs.readdirSync(path.join(__dirname, "data")).filter((name) => name.startsWith("tegrastats-"))) {
      for (const sample of samplesOf(log)) expect(parseExposition(renderMetrics({ latest: sample, samplesTotal: 1 })).size).toBeGreaterThan(5);
    }
  });

  it("escapes backslash, double quote and newline in label values", () => {
    expect(escapeLabelValue('VDD "IN"\\rail\n2')).toBe('VDD \\"IN\\"\\\\rail\\n2');
    const sample: TelemetrySample = { time: "2026-11-24T10:00:00.000Z", cpu: [], temperatures: { 'a"b': 40 }, rails: { 'VDD "IN"\\rail\n2': { mw: 5000 } } };
    const text = renderMetrics({ latest: sample, samplesTotal: 1 });
    expect(sampleLines(text)).toEqual([
      'edgecall_power_milliwatts{rail="VDD \\"IN\\"\\\\rail\\n2"} 5000',
      'edgecall_temperature_celsius{sensor="a\\"b"} 40',
      "edgecall_telemetry_samples_total 1",
      "edgecall_telemetry_last_sample_timestamp_seconds 1795514400",
    ]);
    parseExposition(text);
  });

  it("leaves out a rail that read as no number, never printing NaN, and a family with nothing left", () => {
    const sample = sampleRails(
      [
        { name: "VDD_IN", readMw: () => Number("garbage") },
        { name: "VDD_SOC", readMw: () => 1280 },
        { name: "VDD_GPU", readMw: () => Infinity },
      ],
      new Date("2026-11-24T10:00:00.500Z"),
    );
    const text = renderMetrics({ latest: sample, samplesTotal: 7 });
    expect(text).not.toMatch(/NaN|Inf|VDD_IN|VDD_GPU|average|temperature|cpu_/);
    expect(sampleLines(text)).toEqual(['edgecall_power_milliwatts{rail="VDD_SOC"} 1280', "edgecall_telemetry_samples_total 7", "edgecall_telemetry_last_sample_timestamp_seconds 1795514400.5"]);
  });

  it("before the first sample has only the sample counter, at 0", () => {
    const text = renderMetrics({ samplesTotal: 0 });
    expect(text).toBe(
      "# HELP edgecall_telemetry_samples_total Samples taken since the exporter started.\n# TYPE edgecall_telemetry_samples_total counter\nedgecall_telemetry_samples_total 0\n",
    );
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** GET url: its status and body, or undefined while nothing listens there. */
async function get(url: string, method = "GET"): Promise<{ status: number; body: string; type: string | null } | undefined> {
  try {
    const response = await fetch(url, { method });
    return { status: response.status, body: await response.text(), type: response.headers.get("content-type") };
  } catch {
    return undefined;
  }
}

/** Polls until `check` returns a value, for at most `ms`. */
async function poll<T>(check: () => Promise<T | undefined>, what: string, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const JP5_LINE = "01-01-2020 00:00:00 RAM 3200/7620MB (lfb 3x4MB) SWAP 0/3810MB (cached 0MB) CPU [40%@1510,35%@1510,off] GR3D_FREQ 97% gpu@50.5C tj@51C VDD_IN 9600mW/7200mW VDD_SOC 1920mW/1680mW";

/** A stand-in for tegrastats: records its pid and arguments, then prints JP5_LINE every 0.1 s once `go` exists. */
function fakeTegrastats(dir: string, go: string): { bin: string; pidFile: string; argsFile: string } {
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin, { recursive: true });
  const pidFile = path.join(dir, "tegrastats.pid");
  const argsFile = path.join(dir, "tegrastats.args");
  const script = `#!/bin/sh\necho $$ > ${pidFile}\necho "$*" > ${argsFile}\nwhile [ ! -e ${go} ]; do sleep 0.05; done\nwhile true; do echo "${JP5_LINE}"; sleep 0.1; done\n`;
  fs.writeFileSync(path.join(bin, "tegrastats"), script, { mode: 0o755 });
  return { bin, pidFile, argsFile };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function startCli(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; exit: Promise<{ code: number | null; signal: string | null; stderr: string }> } {
  // node by its absolute path, so the test may hand the CLI a PATH of its own.
  const child = spawn(process.execPath, [path.join(PROJECT, "node_modules/tsx/dist/cli.mjs"), "benchmarks/cli.ts", ...args], { cwd: PROJECT, env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.resume();
  const exit = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stderr })));
  return { child, exit };
}

describe("edgecall telemetry export", () => {
  it("serves tegrastats' latest sample: /healthz 503 then 200, /metrics, 404 elsewhere; SIGTERM ends it and tegrastats with exit 0", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "cli-"));
    const go = path.join(dir, "go");
    const fake = fakeTegrastats(dir, go);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { child, exit } = startCli(["telemetry", "export", "--port", String(port), "--host", "127.0.0.1", "--interval-ms", "100"], { ...process.env, PATH: `${fake.bin}:/usr/bin:/bin` });
    try {
      // Up, with tegrastats started but silent: no sample yet.
      const first = await poll(async () => get(`${base}/healthz`), "the exporter to listen");
      expect(first.status).toBe(503);
      const empty = await get(`${base}/metrics`);
      expect(empty?.status).toBe(200);
      expect(empty?.body).not.toContain("edgecall_power_milliwatts");
      const before = Date.now();
      fs.writeFileSync(go, "");
      await poll(async () => ((await get(`${base}/healthz`))?.status === 200 ? true : undefined), "/healthz to turn 200");

      const metrics = await get(`${base}/metrics`);
      expect(metrics?.status).toBe(200);
      expect(metrics?.type).toBe("text/plain; version=0.0.4; charset=utf-8");
      const values = parseExposition(metrics?.body ?? "");
      expect(values.get('edgecall_power_milliwatts{rail="VDD_IN"}')).toBe(9600);
      expect(values.get('edgecall_power_average_milliwatts{rail="VDD_IN"}')).toBe(7200);
      expect(values.get('edgecall_power_milliwatts{rail="VDD_SOC"}')).toBe(1920);
      expect(values.get("edgecall_gpu_load_percent")).toBe(97);
      expect(values.get("edgecall_ram_used_megabytes")).toBe(3200);
      expect(values.get('edgecall_temperature_celsius{sensor="gpu"}')).toBe(50.5);
      expect(values.get('edgecall_cpu_load_percent{core="1"}')).toBe(35);
      expect(values.get('edgecall_cpu_frequency_megahertz{core="0"}')).toBe(1510);
      expect(values.has('edgecall_cpu_load_percent{core="2"}')).toBe(false);
      expect(values.get("edgecall_telemetry_samples_total")).toBeGreaterThanOrEqual(1);
      // Timed by this host's clock when the line arrived, not by the line's stale 2020 prefix.
      const stamp = values.get("edgecall_telemetry_last_sample_timestamp_seconds") ?? 0;
      expect(stamp * 1000).toBeGreaterThanOrEqual(before - 5);
      expect(stamp * 1000).toBeLessThanOrEqual(Date.now() + 5);

      expect((await get(`${base}/other`))?.status).toBe(404);
      expect((await get(`${base}/metrics`, "POST"))?.status).toBe(405);
      expect(fs.readFileSync(fake.argsFile, "utf8").trim()).toBe("--interval 100");
    } finally {
      child.kill("SIGTERM");
    }
    const { code, signal, stderr } = await exit;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const lines = stderr.trim().split("\n");
    expect(lines[0]).toBe(`edgecall telemetry: serving ${base}/metrics from tegrastats`);
    expect(lines[1]).toMatch(/^edgecall telemetry: stopped after \d+ samples$/);
    expect(lines).toHaveLength(2);
    expect(alive(Number(fs.readFileSync(fake.pidFile, "utf8")))).toBe(false);
    expect(await get(`${base}/healthz`)).toBeUndefined();
  });

  it("says tegrastats is missing in one line and exits 1", async () => {
    const empty = path.join(tmp, "empty-bin");
    fs.mkdirSync(empty, { recursive: true });
    const port = await freePort();
    const { code, stderr } = await startCli(["telemetry", "export", "--port", String(port), "--host", "127.0.0.1", "--source", "tegrastats"], { ...process.env, PATH: empty }).exit;
    expect(code).toBe(1);
    expect(stderr.trim().split("\n").at(-1)).toBe("edgecall telemetry: tegrastats not found: run on a Jetson (L4T) or use --source sysfs");
    expect(stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it("refuses a bad --port in one line", async () => {
    const { code, stderr } = await startCli(["telemetry", "export", "--port", "70000"], process.env).exit;
    expect(code).toBe(1);
    expect(stderr).toBe("edgecall telemetry: --port must be an integer from 0 to 65535, got 70000\n");
  });
});

describe("serveMetrics", () => {
  it("ends with one line naming it when tegrastats exits by itself, with its last complaint", async () => {
    const script = path.join(tmp, "tegrastats-exits");
    fs.writeFileSync(script, `#!/bin/sh\necho "${JP5_LINE}"\necho "tegrastats: something went wrong" >&2\necho "must be run as root" >&2\nexit 3\n`, { mode: 0o755 });
    const served = serveMetrics({ host: "127.0.0.1", port: 0, source: tegrastatsSource(100, script), signal: new AbortController().signal });
    await expect(served).rejects.toThrow(new CliError("tegrastats exited with code 3: must be run as root"));
  });

  it("serves the INA3221 rails of boards without tegrastats, and names a rail that stopped reading", async () => {
    let failing = false;
    const rails = [{ name: "VDD_IN", readMw: () => (failing ? fs.readFileSync(path.join(tmp, "no-such-rail"), "utf8").length : 4800) }];
    const controller = new AbortController();
    let url = "";
    const served = serveMetrics({ host: "127.0.0.1", port: 0, source: sysfsSource(() => sampleRails(rails), 20), signal: controller.signal, onListening: (u) => (url = u) });
    served.catch(() => undefined);
    await poll(async () => (url === "" ? undefined : true), "the server to listen");
    await poll(async () => ((await get(`${url}/healthz`))?.status === 200 ? true : undefined), "/healthz to turn 200");
    const values = parseExposition((await get(`${url}/metrics`))?.body ?? "");
    expect(values.get('edgecall_power_milliwatts{rail="VDD_IN"}')).toBe(4800);
    expect(values.has('edgecall_power_average_milliwatts{rail="VDD_IN"}')).toBe(false);
    failing = true;
    await expect(served).rejects.toThrow(/^reading sysfs: ENOENT/);
  });

  it("names a port that is taken", async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as net.AddressInfo;
    let started = false;
    const source: SourceStarter = () => {
      started = true;
      return { ended: new Promise(() => undefined), stop: async () => undefined };
    };
    try {
      await expect(serveMetrics({ host: "127.0.0.1", port, source, signal: new AbortController().signal })).rejects.toThrow(/^cannot listen on 127\.0\.0\.1:\d+ \(listen EADDRINUSE/);
      expect(started).toBe(false);
    } finally {
      taken.close();
    }
  });

  it("serves the latest of the samples a source hands it, and stops the source and itself when aborted", async () => {
    let push: (sample: TelemetrySample) => void = () => undefined;
    let stopped = false;
    const source: SourceStarter = (onSample) => {
      push = onSample;
      return { ended: new Promise(() => undefined), stop: async () => void (stopped = true) };
    };
    const controller = new AbortController();
    let url = "";
    const served = serveMetrics({ host: "127.0.0.1", port: 0, source, signal: controller.signal, onListening: (u) => (url = u) });
    await poll(async () => (url === "" ? undefined : true), "the server to listen");
    const [idle, busy] = samplesOf("tegrastats-orin-jp6.log");
    push(idle);
    push(busy);
    const values = parseExposition((await get(`${url}/metrics`))?.body ?? "");
    expect(values.get('edgecall_power_milliwatts{rail="VDD_IN"}')).toBe(9600);
    expect(values.get("edgecall_telemetry_samples_total")).toBe(2);
    expect(values.get("edgecall_telemetry_last_sample_timestamp_seconds")).toBe(Date.UTC(2026, 10, 24, 10, 0, 1) / 1000);
    expect(await get(`${url}/healthz`)).toEqual({ status: 200, body: "ok\n", type: "text/plain; charset=utf-8" });
    expect((await get(`${url}/healthz`, "HEAD"))?.status).toBe(200);
    controller.abort();
    await expect(served).resolves.toBe(2);
    expect(stopped).toBe(true);
    expect(await get(`${url}/metrics`)).toBeUndefined();
  });
});
