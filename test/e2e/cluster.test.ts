import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimBoard, boardShell, boardShellOk, snapshot, startBoards, stopBoards } from "../sim/boards";
import { prepareCluster } from "../sim/cluster";
import { SIM_LIVE, prepareLiveRunDir, sequenceInto } from "../sim/live-run-dir";
import { fixtureDataset } from "../sim/fixture-dataset";
import { JOB_LABEL } from "../../components/benchmark-run/job-spec";
import { benchmarkJobName, runIdHash } from "../../components/benchmark-run/names";
import { SimProject } from "../sim/sim-project";
import { EDGECALL_BIN } from "../helpers/build";
import { runProgram } from "../helpers/run-program";
import type { LiveRate, ModelReadUntil } from "../../domain/live";
import { SIM_BOARDS } from "../sim/sim-stack";
import { toolchainEnv } from "./toolchain/toolchain";
import { waitFor } from "../helpers/wait-for";
import { descendantsOf, killAll } from "../helpers/processes";
import { clusterSkipReason } from "./helpers/cluster";
import { LAB_TOKEN, installLabCluster, uninstallLabCluster } from "./helpers/existing-cluster";

const UP = ["up", "--yes", "--skip-preview", "-s", "sim"];
const READS = 6;
const MODEL_BOARDS: Record<string, string> = { sacall: "sim-server", catcaller: "sim-nano", chiron: "sim-xavier", rodan: "sim-orin" };
const BOARD_KINDS: Record<string, string> = { sacall: "nano", catcaller: "nano", chiron: "xavier", rodan: "orin" };
const NODE_PORTS: Record<string, number> = { sacall: 6001, catcaller: 6002, chiron: 6003, rodan: 6004 };

interface Summary {
  model: string;
  run_id: string;
  board: string;
  throughput: { reads: number; bases: number; bases_per_s: number; latency_p50_s: number };
  accuracy: { reads: number; bases: number; aligned_reads: number; unaligned_fraction: number; median_identity: number | null };
  energy: { joules: number; mean_watts: number; seconds: number; rail: string } | null;
  board_kind?: string | null;
  power?: { rail: string; points: Array<[number, number]> };
  provenance: {
    power_mode: string | null;
    l4t_release: string | null;
    stand_in?: string;
    image_digest: string | null;
    framework_versions: Record<string, string>;
    engine?: string;
    engine_parity?: { identity: number; floor: number };
  };
}
type Outputs = {
  endpoints: Record<string, string>;
  benchmarks: Record<string, { status: string; runId: string; summaries: Summary[] }>;
  load: Record<string, { status: string; report: { levels: Array<{ concurrency: number; succeeded: number; errors: Record<string, number> }> } }>;
  scaling: Record<string, { status: string; curve: Array<{ boards: number; seconds: number; speedup: number }> }>;
  live: Record<string, { status: string; engine: string; rates: LiveRate[]; readUntil?: ModelReadUntil }>;
  watchers: Record<string, { node: string; model: string; runDir: string; outputDir: string; metrics: string }>;
};

/** Where a link points, or null once it is gone (a process that has exited). */
function readlinkOrNull(file: string): string | null {
  try {
    return fs.readlinkSync(file);
  } catch {
    return null;
  }
}

async function getJson(url: string, init?: RequestInit): Promise<Record<string, unknown>> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
  expect(response.status, url).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/**
 * Issue 10: the sim stack on a real Kubernetes. The simulated boards run the K3s stand-in
 * (upstream Kubernetes, containerd, runc, CNI, etcd); `pulumi up` deploys every workload, the
 * benchmark, scaling and load Jobs run on the fixtures' FAST5 reads, and their results come back
 * as stack outputs. Tests run in order and share the cluster.
 */
describe.skipIf(clusterSkipReason !== undefined)("the sim stack on a real Kubernetes across the simulated boards", () => {
  let boards: SimBoard[];
  let project: SimProject;
  let outputs: Outputs;
  const before: Record<string, Record<string, string>> = {};
  const kubectl = (args: string) => boardShellOk(boards[0], `k3s kubectl ${args}`);
  const jobs = async (field: "uid" | "name") =>
    (await kubectl(`-n edgecall-bench get jobs -o jsonpath='{range .items[*]}{.metadata.${field}}{"\\n"}{end}'`)).trim().split("\n").sort();
  const nodeReady = async (node: string) => (await kubectl(`get node ${node} -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'`)).trim();

  beforeAll(async () => {
    const cluster = await prepareCluster();
    await stopBoards(SIM_BOARDS);
    boards = await startBoards(SIM_BOARDS, { cluster: cluster.envFile });
    for (const board of boards) before[board.name] = await snapshot(board);
    await prepareLiveRunDir(boards);
    project = new SimProject(toolchainEnv());
    const dataset = fixtureDataset(path.join(path.dirname(project.dir), "dataset"), READS);
    await project.initSimStack(fs.readFileSync(boards[0].keyPath, "utf8"), boards[0].sudoPassword, { dataset, digests: cluster.digests });
    // The stack file itself runs the scaling Job (rodan on 1 and 2 boards) and load Jobs at 1 and 4.
    await project.pulumiOk(["config", "set", "--path", "edgecall:benchmark.keepRuns", "true"]);
  });

  afterAll(async () => {
    if (project !== undefined) {
      await project.pulumi(["destroy", "--yes", "--skip-preview", "-s", "sim"], { timeoutMs: 900_000 });
      project.remove();
    }
    await stopBoards(SIM_BOARDS);
  });

  it("brings up every model service on its board, answering on its NodePort from this machine", async () => {
    await project.pulumiOk(UP, { timeoutMs: 1_800_000 });
    outputs = JSON.parse((await project.pulumiOk(["stack", "output", "--json", "-s", "sim"])).stdout) as Outputs;
    for (const [model, board] of Object.entries(MODEL_BOARDS)) {
      const host = boards.find((b) => b.name === board)?.host;
      expect(outputs.endpoints[model]).toBe(`http://${host}:${NODE_PORTS[model]}`);
      const info = await getJson(`${outputs.endpoints[model]}/v1/info`);
      expect(info).toMatchObject({ model, stand_in: "ctc-test" });
      expect((info.engine as { engine?: string } | undefined)?.engine ?? "torch", model).toBe(model === "rodan" ? "onnxruntime" : "torch");
      const signal = Array.from({ length: 4000 }, (_, i) => 90 + 25 * Math.sin(i / 7) + ((i * 37) % 11));
      const call = await getJson(`${outputs.endpoints[model]}/v1/basecall`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ read_id: `probe-${model}`, signal }),
      });
      expect(String(call.sequence)).toMatch(/^[ACGT]+$/);
    }
  });

  it("runs the benchmark Jobs on the fixture reads: measured summaries, evaluated on the Job's own calls, with energy from the simulated rails", async () => {
    for (const [model, board] of Object.entries(MODEL_BOARDS)) {
      const result = outputs.benchmarks[model];
      expect(result.status, model).toBe("measured");
      const [summary] = result.summaries;
      expect(summary).toMatchObject({ model, run_id: "sim1", board, provenance: { power_mode: "0 (MAXN)", stand_in: "ctc-test" } });
      expect(summary.throughput.reads).toBe(READS);
      expect(summary.throughput.bases).toBeGreaterThan(0);
      expect(summary.throughput.bases_per_s).toBeGreaterThan(0);
      // Idle is 2 W on a simulated rail, plus up to 8 W at the machine's full CPU.
      expect(summary.energy?.rail).toBe("POM_5V_IN");
      expect(summary.energy?.mean_watts).toBeGreaterThan(2);
      expect(summary.energy?.mean_watts).toBeLessThanOrEqual(10);
      expect(summary.energy?.joules).toBeGreaterThan(0);

      // The Job kept its run directory on the board: evaluate its calls here, against the reference.
      const host = boards.find((b) => b.name === board) as SimBoard;
      const kept = (await boardShellOk(host, `ls -d /var/lib/edgecall-data/runs/sim1/*${model}*`)).trim();
      const calls = await boardShellOk(host, `cat ${kept}/calls.fastq`);
      const local = path.join(path.dirname(project.dir), `${model}.fastq`);
      fs.writeFileSync(local, calls);
      const evaluated = await runProgram(process.execPath, [EDGECALL_BIN, "evaluate", "--calls", local, "--reference", path.join(path.dirname(project.dir), "dataset/lambda_virus.fa")]);
      expect(evaluated.status, evaluated.stderr).toBe(0);
      // A TSV of name and value; NA where nothing aligned.
      const figures = Object.fromEntries(
        evaluated.stdout.trim().split("\n").map((line) => {
          const [key, value] = line.split("\t");
          return [key, value === "NA" ? null : Number(value)];
        }),
      );
      expect(summary.accuracy).toMatchObject(figures);
      expect(summary.accuracy.reads).toBe(READS);
    }
  });

  it("runs the scaling Job and the load Jobs, and fills the scaling and load outputs", () => {
    expect(outputs.scaling.rodan.status).toBe("measured");
    expect(outputs.scaling.rodan.curve.map((p) => p.boards)).toEqual([1, 2]);
    for (const point of outputs.scaling.rodan.curve) expect(point.seconds).toBeGreaterThan(0);
    for (const model of Object.keys(MODEL_BOARDS)) {
      expect(outputs.load[model].status, model).toBe("measured");
      const levels = outputs.load[model].report.levels;
      expect(levels.map((l) => l.concurrency)).toEqual([1, 4]);
      for (const level of levels) {
        expect(level.succeeded, `${model} at ${level.concurrency}`).toBeGreaterThan(0);
        expect(level.errors).toEqual({});
      }
    }
  });

  it("calls a file written into the Orin's watched run directory, once, and serves the watcher's metrics", async () => {
    const orin = boards.find((b) => b.name === SIM_LIVE.board) as SimBoard;
    expect(outputs.watchers["orin-run"]).toMatchObject({ node: "sim-orin", model: "rodan", runDir: SIM_LIVE.runDir, outputDir: SIM_LIVE.outputDir });
    const dataset = path.join(path.dirname(project.dir), "dataset", "reads");
    const file = fs.readdirSync(dataset).filter((f) => f.endsWith(".fast5")).sort()[0];
    await sequenceInto(orin, "run1_0.fast5", fs.readFileSync(path.join(dataset, file)));
    const fastq = `${SIM_LIVE.outputDir}/calls/run1_0.fast5.fastq`;
    await waitFor("the watcher to write run1_0.fast5's FASTQ", 120, async () => (await boardShell(orin, `test -s ${fastq}`)).code === 0);
    const records = (await boardShellOk(orin, `cat ${fastq}`)).split("\n").filter((line, i) => i % 4 === 0 && line.startsWith("@"));
    expect(records).toHaveLength(1);
    const journal = (await boardShellOk(orin, `cat ${SIM_LIVE.outputDir}/journal.jsonl`)).trim().split("\n").map((l) => JSON.parse(l) as { file: string; state: string });
    expect(journal).toEqual([expect.objectContaining({ file: "run1_0.fast5", state: "done" })]);
    const metrics = await kubectl("get --raw /api/v1/namespaces/edgecall/services/edgecall-watch-orin-run:9108/proxy/metrics");
    expect(metrics).toContain('edgecall_live_reads_total{model="rodan"} 1');
    expect(metrics).toContain('edgecall_live_keeping_up{model="rodan"} 1');
  });

  it("runs RODAN live at two speeds: below what its board calls it keeps up, far above it falls behind, by how much", () => {
    expect(Object.keys(outputs.live)).toEqual(["rodan"]);
    const live = outputs.live.rodan;
    expect(live).toMatchObject({ status: "measured", engine: "onnxruntime" });
    const [slow, fast] = live.rates;
    // The sim stack: a tenth of a MinION R9.4.1's channels (204,800 samples/s) at 0.5x and at 40x.
    expect([slow.speed, fast.speed]).toEqual([0.5, 40]);
    expect(slow.offeredSamplesPerS).toBeGreaterThan(0.8 * 102_400);
    expect(slow).toMatchObject({ verdict: "keeps up", behindMinutesPerHour: 0, filesSetAside: 0 });
    expect(slow.largestBacklog.files).toBeLessThanOrEqual(1);
    expect(slow.latencyS.p95).toBeGreaterThan(0);
    expect(fast.verdict).toBe("falls behind");
    expect(fast.behindMinutesPerHour).toBeGreaterThan(0);
    expect(fast.largestBacklog.files).toBeGreaterThan(1);
    expect(fast.offeredSamplesPerS).toBeGreaterThan(fast.sustainedSamplesPerS ?? Infinity);
    // The backlog it charts climbs while the sequencer writes.
    expect(Math.max(...fast.backlog.map(([, files]) => files))).toBe(fast.largestBacklog.files);
    // Adaptive sampling's load on RODAN's service after its live run: 3 rounds at 2 and at 64 channels.
    const readUntil = live.readUntil as ModelReadUntil;
    expect(readUntil.levels.map((l) => [l.channels, l.chunks])).toEqual([[2, 6], [64, 192]]);
    expect(readUntil.levels[0].in_time_share).toBeGreaterThanOrEqual(readUntil.levels[1].in_time_share);
    expect(readUntil.levels[0].latency_p50_s).toBeGreaterThan(0);
    expect([null, 2, 64]).toContain(readUntil.servedChannels);
  });

  it("gives a whole report from the stack output: every chart the outputs feed, the board kinds from the stack, nothing of the provenance missing", () => {
    for (const [model, kind] of Object.entries(BOARD_KINDS)) {
      const [summary] = outputs.benchmarks[model].summaries;
      expect(summary.board_kind, model).toBe(kind);
      expect(summary.provenance.image_digest, model).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(summary.provenance.framework_versions.edgecall, model).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{12}(\.dirty)?$/);
      expect(summary.power?.rail, model).toBe("POM_5V_IN");
      expect(summary.power?.points.length, model).toBeGreaterThan(2);
      // The sim stack runs RODAN's stand-in as its exported graph on ONNX Runtime, checked before use.
      expect(summary.provenance.engine ?? "torch", model).toBe(model === "rodan" ? "onnxruntime" : "torch");
      if (model === "rodan") expect(summary.provenance.engine_parity).toMatchObject({ identity: 1, floor: 0.99 });
    }
    const out = path.join(path.dirname(project.dir), "report");
    const report = spawnSync("node", [EDGECALL_BIN, "report", "-", "--out", out], { input: JSON.stringify(outputs), encoding: "utf8" });
    expect(report.status, report.stderr).toBe(0);
    const html = fs.readFileSync(path.join(out, "index.html"), "utf8");
    const absent = [...html.matchAll(/<figure class="chart no-data" id="chart-([a-z-]+)"><p>([^<]*)<\/p>/g)].map((m) => [m[1], m[2]]);
    // The stand-in network's calls align to nothing, so accuracy alone cannot be drawn, and says why.
    expect(absent).toEqual([["accuracy-throughput", "Accuracy against throughput: no read aligned to the reference: the ctc-test network stands in for the models, and its calls are not meant to align."]]);
    for (const slug of ["energy-throughput", "keep-up", "power", "concurrency", "scaling", "live"]) expect(html).toContain(`<figure class="chart" id="chart-${slug}">`);
    expect(html).toMatch(/<p class="headline">[^<]*Live, at multiples of the flow cell rate: rodan on onnxruntime keeps up at 0\.5x, falls behind at 40x/);
    expect(html).not.toContain("MISSING");
    const markdown = fs.readFileSync(path.join(out, "summary.md"), "utf8");
    for (const [model, kind] of Object.entries(BOARD_KINDS)) expect(markdown).toMatch(new RegExp(`^\\| ${model} \\| ${kind} \\|`, "m"));
  });

  it("stores the runs in the metrics store, and every board's telemetry exporter answers /metrics", async () => {
    const rows = await kubectl(`-n edgecall exec edgecall-metrics-0 -- psql -U edgecall -d edgecall -tAc "select model || ':' || run_id from runs order by model"`);
    expect(rows.trim().split("\n").filter((r) => r.endsWith(":sim1"))).toEqual(expect.arrayContaining(Object.keys(MODEL_BOARDS).sort().map((m) => `${m}:sim1`)));
    for (const board of boards) {
      const response = await fetch(`http://${board.host}:9102/metrics`, { signal: AbortSignal.timeout(10_000) });
      expect(response.status, board.name).toBe(200);
      expect(await response.text()).toMatch(/^edgecall_power_milliwatts\{rail="POM_5V_IN"\} \d+/m);
    }
  });

  it("changes nothing and re-runs no Job on a second up", async () => {
    const first = await jobs("uid");
    await project.pulumiOk([...UP, "--expect-no-changes"], { timeoutMs: 900_000 });
    expect(await jobs("uid")).toEqual(first);
  });

  it("fails up naming a board whose kubelet stopped; once it is back, a new run id converges, and a pod killed mid-run is run again", async () => {
    const xavier = boards.find((b) => b.name === "sim-xavier") as SimBoard;
    await boardShellOk(xavier, "systemctl stop k3s-agent");
    // The node controller marks the node Unknown once its kubelet has been silent for the grace period.
    await waitFor("sim-xavier to stop reporting", 180, async () => (await nodeReady("sim-xavier")) === "Unknown");
    // This round checks the benchmark Jobs only: the scaling, load and live Jobs ran once, above.
    await project.pulumiOk(["config", "rm", "--path", "edgecall:benchmark.scaling"]);
    await project.pulumiOk(["config", "rm", "--path", "edgecall:benchmark.live"]);
    await project.pulumiOk(["config", "rm", "--path", "edgecall:benchmark.concurrency"]);
    await project.pulumiOk(["config", "set", "--path", "edgecall:benchmark.runId", "sim2"]);
    const failed = await project.pulumi(UP, { timeoutMs: 900_000 });
    expect(failed.code).not.toBe(0);
    expect(failed.stdout + failed.stderr).toContain("board sim-xavier: its Kubernetes node does not report (NodeStatusUnknown");
    // No Job of the new run was created while the board was away.
    expect((await jobs("name")).filter((name) => name.includes(runIdHash("sim2")))).toEqual([]);

    await boardShellOk(xavier, "systemctl start k3s-agent");
    await waitFor("sim-xavier to report Ready", 180, async () => (await nodeReady("sim-xavier")) === "True");
    await kubectl("-n edgecall wait --for=condition=Available deployment --all --timeout=180s");

    const running = project.start(UP, { timeoutMs: 1_800_000 });
    const job = benchmarkJobName("chiron", "sim2", 0);
    // Before the Job's pod exists the answer is "|" (items[*] of none), not an error.
    const runnerId = async () =>
      (await kubectl(`-n edgecall-bench get pods -l ${JOB_LABEL}=${job} -o jsonpath='{.items[*].status.initContainerStatuses[?(@.name=="runner")].state.running}{"|"}{.items[*].status.initContainerStatuses[?(@.name=="runner")].containerID}'`)).trim();
    let container = "";
    await waitFor("the chiron runner to be running", 600, async () => {
      const [state, id] = (await runnerId()).split("|");
      container = id?.replace("containerd://", "") ?? "";
      return state !== "" && container !== "";
    });
    await boardShellOk(xavier, `k3s ctr -n k8s.io tasks kill -s SIGKILL ${container}`);
    const converged = await running.result;
    expect(converged.code, converged.stdout + converged.stderr).toBe(0);

    const again = JSON.parse((await project.pulumiOk(["stack", "output", "benchmarks", "--json", "-s", "sim"])).stdout) as Outputs["benchmarks"];
    for (const model of Object.keys(MODEL_BOARDS)) {
      expect(again[model], model).toMatchObject({ status: "measured", runId: "sim2" });
      expect(again[model].summaries[0].run_id).toBe("sim2");
      expect(again[model].summaries[0].throughput.reads).toBe(READS);
    }
    // The killed pod failed with the runner's 137, and the Job's second pod measured the run.
    const status = JSON.parse(await kubectl(`-n edgecall-bench get job ${job} -o jsonpath='{.status}'`)) as { failed?: number; succeeded?: number };
    expect(status).toMatchObject({ failed: 1, succeeded: 1 });
  });

  it("sweeps the Orin's power modes as one experiment: resumable after a kill, the lower mode slower and cheaper, the stack's own config and modes back after", async () => {
    // One load level: every point's new run id runs the load Jobs again, and they are not what this checks.
    await project.pulumiOk(["config", "set", "--path", "edgecall:benchmark.concurrency[0]", "1", "-s", "sim"]);
    const work = path.dirname(project.dir);
    const experimentFile = path.join(work, "modes.yaml");
    fs.writeFileSync(experimentFile, "experiment: e2e\nstack: sim\nrepeats: 2\ngrid:\n  powerMode:\n    orin: [0, 1]\n");
    const dir = path.join(work, "experiment");
    const sweep = (...extra: string[]) => spawn(process.execPath, [EDGECALL_BIN, "sweep", experimentFile, "--dir", dir, "--project", project.dir, ...extra], { env: project.pulumiEnv, detached: true });
    const finished = (child: ReturnType<typeof sweep>) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        let out = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString()));
        child.stderr.on("data", (c: Buffer) => (out += c.toString()));
        child.on("close", (code) => resolve({ code, out }));
      });
    const journal = () => (fs.existsSync(path.join(dir, "journal.jsonl")) ? fs.readFileSync(path.join(dir, "journal.jsonl"), "utf8") : "");

    // Killed (the whole process group, and the engine's plugins) once point 2's update is under way.
    const first = sweep();
    const firstDone = finished(first);
    await waitFor("the sweep to start point 2's update", 900, async () => journal().includes('"start","point":"p2"') && fs.existsSync(path.join(dir, "points/p2/up.log")) && fs.readFileSync(path.join(dir, "points/p2/up.log"), "utf8").includes("Updating"));
    const tree = descendantsOf(first.pid as number);
    process.kill(-(first.pid as number), "SIGKILL");
    killAll(tree);
    await firstDone;
    const p1Outputs = path.join(dir, "points/p1/outputs.json");
    const p1Written = fs.statSync(p1Outputs).mtimeMs;

    const refused = await finished(sweep());
    expect(refused.code).toBe(1);
    expect(refused.out).toContain("the last sweep stopped inside point p2 (killed?)");
    const resumed = await finished(sweep("--recover"));
    expect(resumed.code, resumed.out).toBe(0);
    expect(resumed.out).toContain("1 of 2 points already measured (p1): skipped");
    expect(resumed.out).toContain(`${dir}: 1 point(s) measured now, 1 before, 0 failed; the stack's own config is back`);
    expect(fs.statSync(p1Outputs).mtimeMs).toBe(p1Written);

    // Each point ran under its own run id, in the mode it asked for; mode 1 caps the Orin's CPU share.
    const rodanAt = (point: string) => (JSON.parse(fs.readFileSync(path.join(dir, "points", point, "outputs.json"), "utf8")) as Outputs).benchmarks.rodan;
    const [full, capped] = [rodanAt("p1"), rodanAt("p2")];
    expect(full).toMatchObject({ status: "measured", runId: "e2e-p1" });
    expect(capped).toMatchObject({ status: "measured", runId: "e2e-p2" });
    expect(full.summaries.map((s) => s.provenance.power_mode)).toEqual(["0 (MAXN)", "0 (MAXN)"]);
    expect(capped.summaries.map((s) => s.provenance.power_mode)).toEqual(["1 (MODE_15W)", "1 (MODE_15W)"]);
    const medianOf = (runs: Summary[], figure: (s: Summary) => number) => runs.map(figure).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
    expect(medianOf(capped.summaries, (s) => s.throughput.bases_per_s)).toBeLessThan(medianOf(full.summaries, (s) => s.throughput.bases_per_s));
    expect(medianOf(capped.summaries, (s) => s.energy?.mean_watts ?? 0)).toBeLessThan(medianOf(full.summaries, (s) => s.energy?.mean_watts ?? 0));

    // The stack's own config, and the Orin back in its mode with its whole CPU share.
    expect((await project.pulumiOk(["config", "get", "--path", "edgecall:benchmark.runId", "-s", "sim"])).stdout.trim()).toBe("sim2");
    const orin = boards.find((b) => b.name === "sim-orin") as SimBoard;
    expect((await boardShellOk(orin, "nvpmodel -q")).trim().split("\n").pop()).toBe("0");
    expect((await boardShellOk(orin, "cat /sys/fs/cgroup/cpu/edgecall-sim/sim-orin/cpu.cfs_quota_us")).trim()).toBe("-1");

    const out = path.join(work, "experiment-report");
    const report = await runProgram(process.execPath, [EDGECALL_BIN, "report", dir, "--out", out]);
    expect(report.status, report.stderr).toBe(0);
    const markdown = fs.readFileSync(path.join(out, "summary.md"), "utf8");
    expect(markdown).toMatch(/^\| rodan \| p1 \| orin mode 0 \| 2 \| /m);
    expect(markdown).toMatch(/^\| rodan \| p2 \| orin mode 1 \| 2 \| /m);
  });

  it("removes every object on destroy and puts every board back as it was", async () => {
    await project.pulumiOk(["destroy", "--yes", "--skip-preview", "-s", "sim"], { timeoutMs: 900_000 });
    for (const board of boards) expect(await snapshot(board), board.name).toEqual(before[board.name]);
    // No daemon of the cluster and no container is left running on this machine. Only processes in
    // another mount namespace (a board's, a container's) count: a runner tested on this machine is not one.
    const left = spawnSync("pgrep", ["-a", "-f", "containerd --config /var/lib/rancher|kube-apiserver|edgecall-runner serve|etcd --name"], { encoding: "utf8" });
    const ownMounts = fs.readlinkSync("/proc/self/ns/mnt");
    const inBoards = left.stdout.split("\n").filter((line) => {
      const mounts = line === "" ? null : readlinkOrNull(`/proc/${line.split(" ")[0]}/ns/mnt`);
      return mounts !== null && mounts !== ownMounts;
    });
    expect(inBoards).toEqual([]);
  });

  it("runs on a cluster the lab installed itself (k3s.existing), and destroy leaves that cluster as it found it", async () => {
    const [server, ...agents] = boards;
    const kubeconfig = await installLabCluster(server, agents);
    const labNodes = async () => (await kubectl("get nodes -o jsonpath='{range .items[*]}{.metadata.name}={.metadata.labels}{\"\\n\"}{end}'")).trim();
    const found = await labNodes();
    await project.pulumiOk(["config", "rm", "edgecall:k3s"]);
    await project.pulumiOk(["config", "set", "--path", "edgecall:k3s.runtime", "containerd"]);
    // As the README tells a user: the kubeconfig on stdin, stored as a secret.
    await project.pulumiOk(["config", "set", "--secret", "--path", "edgecall:k3s.existing.kubeconfig"], { input: kubeconfig });
    await project.pulumiOk(["config", "set", "--path", "edgecall:benchmark.runId", "lab1"]);

    await project.pulumiOk(UP, { timeoutMs: 1_800_000 });
    const state = (await project.pulumiOk(["stack", "export", "-s", "sim"])).stdout;
    const urns = ((JSON.parse(state) as { deployment: { resources?: Array<{ urn: string }> } }).deployment.resources ?? []).map((r) => r.urn);
    expect(urns.length).toBeGreaterThan(0);
    expect(urns.filter((urn) => /k3s-install|k3s-member|K3sCluster|k3s-token|registry-mirror/.test(urn))).toEqual([]);
    expect(state).not.toContain(LAB_TOKEN);
    const outputs = JSON.parse((await project.pulumiOk(["stack", "output", "--json", "-s", "sim"])).stdout) as Outputs & { serverUrl: string };
    expect(outputs.serverUrl).toBe(`https://${server.host}:6443`);
    for (const [model, board] of Object.entries(MODEL_BOARDS)) {
      expect(await getJson(`${outputs.endpoints[model]}/v1/info`)).toMatchObject({ model, stand_in: "ctc-test" });
      expect(outputs.benchmarks[model], model).toMatchObject({ status: "measured", runId: "lab1" });
      expect(outputs.benchmarks[model].summaries[0]).toMatchObject({ board, throughput: { reads: READS } });
      expect(await kubectl(`get node ${board} -o jsonpath='{.metadata.labels.edgecall\\.io/model}'`)).toBe(model);
    }

    await project.pulumiOk(["destroy", "--yes", "--skip-preview", "-s", "sim"], { timeoutMs: 900_000 });
    // The lab's cluster still runs, its nodes as they were, with nothing of edgecall's left in it.
    expect(await labNodes()).toBe(found);
    expect(await kubectl("get namespaces -o name")).not.toContain("edgecall");
    expect(await kubectl("get runtimeclass -o name")).not.toContain("edgecall-nvidia");
    await uninstallLabCluster(server, agents);
    for (const board of boards) expect(await snapshot(board), board.name).toEqual(before[board.name]);
  });
});

if (clusterSkipReason !== undefined) console.warn(clusterSkipReason);
