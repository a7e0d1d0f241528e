import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify, parse } from "yaml";
import { benchmarkConfigSchema } from "../../components/benchmark-run/config";
import { validateConfig } from "../../infra/config";
import { loadStackConfig } from "../../infra/runtime-config";
import { validateStackFile } from "../../infra/stack-file";
import { PROJECT_DIR } from "./helpers/pulumi-mocks";

const EXAMPLES = ["lab", "orin", "sim"];

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-config-"));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function exampleConfig(stack: string): Record<string, unknown> {
  return (parse(fs.readFileSync(path.join(PROJECT_DIR, "stacks", `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> }).config;
}

/** Writes a broken copy of an example stack into a temp project and returns its stack file. */
function brokenCopy(stack: string, edit: (config: Record<string, unknown>) => void): string {
  const config = structuredClone(exampleConfig(stack));
  edit(config);
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, "stacks"));
  const file = path.join(dir, "stacks", `Pulumi.${stack}.yaml`);
  fs.writeFileSync(file, stringify({ config }));
  return file;
}

function problemsOf(file: string): string[] {
  const result = validateStackFile(file);
  if (result.ok) throw new Error(`${file} was accepted`);
  return result.problems.map((p) => `${p.path}: ${p.message}`);
}

type Nodes = Array<Record<string, unknown>>;

describe("stack config validation", () => {
  it.each(EXAMPLES)("accepts the %s example stack", (stack) => {
    const result = validateStackFile(path.join(PROJECT_DIR, "stacks", `Pulumi.${stack}.yaml`));
    expect(result.ok).toBe(true);
  });

  it("names a bad role and a bad board by path, with what was expected and what was found", () => {
    const file = brokenCopy("lab", (c) => {
      (c["edgecall:nodes"] as Nodes)[1].role = "master";
      (c["edgecall:nodes"] as Nodes)[3].board = "tx2";
    });
    const problems = problemsOf(file);
    expect(problems).toContainEqual(expect.stringMatching(/^nodes\[1\]\.role: .*"server"\|"agent".*got "master"$/));
    expect(problems).toContainEqual(expect.stringMatching(/^nodes\[3\]\.board: .*"nano"\|"xavier"\|"orin".*got "tx2"$/));
    expect(problems).toHaveLength(2);
  });

  it("rejects an SSH key or sudo password written in plain text, without echoing it", () => {
    const file = brokenCopy("lab", (c) => {
      const ssh = c["edgecall:ssh"] as Record<string, unknown>;
      ssh.privateKey = "-----BEGIN OPENSSH PRIVATE KEY----- secret-material";
      ssh.sudoPassword = "hunter2";
    });
    const problems = problemsOf(file);
    expect(problems).toContainEqual(expect.stringMatching(/^ssh\.privateKey: is plain text; it must be a Pulumi secret: pulumi config set --secret/));
    expect(problems).toContainEqual(expect.stringMatching(/^ssh\.sudoPassword: is plain text/));
    expect(problems.join("\n")).not.toMatch(/secret-material|hunter2/);
  });

  it("requires exactly one server and unique node names and addresses", () => {
    const file = brokenCopy("lab", (c) => {
      const nodes = c["edgecall:nodes"] as Nodes;
      nodes[1].role = "server";
      nodes[2].name = nodes[3].name;
      nodes[4].host = nodes[0].host;
    });
    const problems = problemsOf(file);
    expect(problems).toContainEqual(expect.stringMatching(/^nodes: expected exactly one node with role "server", found 2$/));
    expect(problems).toContainEqual(expect.stringMatching(/^nodes\[3\]\.name: nano-chiron is already the name of nodes\[2\]$/));
    expect(problems).toContainEqual(expect.stringMatching(/^nodes\[4\]\.host: 192\.168\.50\.10:22 is already the address of nodes\[0\]$/));
  });

  it("enforces one model per board and one board per model in one-per-node scheduling", () => {
    const file = brokenCopy("lab", (c) => {
      const nodes = c["edgecall:nodes"] as Nodes;
      nodes[1].models = ["sacall", "chiron"];
    });
    const problems = problemsOf(file);
    expect(problems).toContainEqual(expect.stringMatching(/^nodes\[1\]\.models: scheduling\.mode "one-per-node" allows one model per node, found 2/));
    expect(problems).toContainEqual(expect.stringMatching(/^nodes\[3\]\.models: chiron is already on nodes\[1\]/));
  });

  it("reports unknown keys (typos) and unknown models", () => {
    const file = brokenCopy("orin", (c) => {
      (c["edgecall:power"] as Record<string, unknown>).jetsonClock = true;
      (c["edgecall:nodes"] as Nodes)[0].models = ["guppy"];
    });
    const problems = problemsOf(file);
    expect(problems).toContainEqual("power: unknown key(s) jetsonClock");
    expect(problems).toContainEqual(expect.stringMatching(/^nodes\[0\]\.models\[0\]: .*got "guppy"$/));
  });

  it("checks the air-gap files exist, naming the field and the path", () => {
    const file = brokenCopy("orin", (c) => {
      (c["edgecall:k3s"] as Record<string, unknown>).install = { source: "airgap", binary: "missing/k3s", images: "missing/images.tar.zst", installScript: "missing/install.sh" };
    });
    const problems = problemsOf(file);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^k3s\.install\.binary: file .*missing\/k3s does not exist$/);
  });

  it("reports a key written without the edgecall namespace and a K3s version that is not a release", () => {
    const file = brokenCopy("orin", (c) => {
      c.scheduling = { mode: "packed" };
      (c["edgecall:k3s"] as Record<string, unknown>).version = "latest";
    });
    const problems = problemsOf(file);
    expect(problems).toContainEqual("scheduling: config keys need a namespace; did you mean edgecall:scheduling?");
    expect(problems).toContainEqual(expect.stringMatching(/^k3s\.version: expected a K3s release such as v1\.30\.6\+k3s1, got "latest"$/));
  });

  it("refuses a packed board without the device plugin, whose time-slicing shares its GPU", () => {
    const file = brokenCopy("orin", (c) => {
      c["edgecall:gpu"] = { devicePlugin: false };
    });
    expect(problemsOf(file)).toEqual(['gpu.devicePlugin: scheduling.mode "packed" shares each GPU by the device plugin\'s time-slicing; set gpu.devicePlugin: true']);
  });

  it("reports a file that is not YAML with its line, and a missing file", () => {
    const dir = tempDir();
    const file = path.join(dir, "Pulumi.x.yaml");
    fs.writeFileSync(file, "config:\n  edgecall:nodes: [\n    - name: a\n");
    const result = validateStackFile(file);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toMatch(/^line \d+, column \d+$/);
    expect(problems[0].message).toMatch(/^not valid YAML: [^\n]+$/);
    expect(problems[0].position?.line).toBeGreaterThan(1);
    expect(problemsOf(path.join(dir, "absent.yaml"))).toEqual(["(file): file not found"]);
  });

  it("requires the images a benchmark runs and its local dataset files", () => {
    const file = brokenCopy("sim", (c) => {
      const images = c["edgecall:images"] as { models: Record<string, string>; tools?: string };
      delete images.models.chiron;
      delete images.tools;
      (c["edgecall:benchmark"] as { dataset: { manifest: string } }).dataset.manifest = "missing/manifest.tsv";
    });
    for (const dir of ["test/sim/dataset", "test/sim/k3s-airgap"]) {
      fs.cpSync(path.join(PROJECT_DIR, dir), path.join(path.dirname(path.dirname(file)), dir), { recursive: true });
    }
    const problems = problemsOf(file);
    expect(problems).toContainEqual("images.tools: a benchmark needs the tools image (the edgecall CLI)");
    expect(problems).toContainEqual(expect.stringMatching(/^images\.models\.chiron: nodes\[\d\] \(sim-\w+\) runs chiron but it has no image/));
    expect(problems).toContainEqual(expect.stringMatching(/^benchmark\.dataset\.manifest: cannot read .*missing\/manifest\.tsv \(ENOENT\)$/));
    expect(problems).toHaveLength(3);
  });

  it("reports a scaling benchmark wider than the stack exactly once, and its dataset's faults by field", () => {
    const copyData = (file: string) => {
      for (const dir of ["test/sim/dataset", "test/sim/dataset.manifest.tsv", "test/sim/k3s-airgap"]) {
        fs.cpSync(path.join(PROJECT_DIR, dir), path.join(path.dirname(path.dirname(file)), dir), { recursive: true });
      }
    };
    const wide = brokenCopy("sim", (c) => {
      (c["edgecall:benchmark"] as Record<string, unknown>).scaling = { model: "rodan", maxBoards: 5 };
    });
    copyData(wide);
    expect(problemsOf(wide)).toEqual(["benchmark.scaling.maxBoards: 5 is more than the 4 nodes of the stack"]);
    const unlisted = brokenCopy("sim", (c) => {
      (c["edgecall:benchmark"] as Record<string, unknown>).reference = "other.fa";
      (c["edgecall:benchmark"] as Record<string, unknown>).readCount = 3;
    });
    copyData(unlisted);
    expect(problemsOf(unlisted)).toEqual(["benchmark.reference: other.fa is not listed in the dataset manifest; add it with its sha256"]);
    const tooMany = brokenCopy("sim", (c) => {
      (c["edgecall:benchmark"] as Record<string, unknown>).readCount = 99;
    });
    copyData(tooMany);
    expect(problemsOf(tooMany)).toEqual([expect.stringMatching(/^benchmark\.readCount: 99 is more than the \d+ read files the manifest lists; lower it$/)]);
  });

  it("refuses an engine a model cannot run on and a precision its engine cannot honour, at the key that asks", () => {
    const withBenchmark = (edit: (b: Record<string, unknown>) => void) => {
      const file = brokenCopy("sim", (c) => edit(c["edgecall:benchmark"] as Record<string, unknown>));
      for (const dir of ["test/sim/dataset", "test/sim/dataset.manifest.tsv", "test/sim/k3s-airgap"]) {
        fs.cpSync(path.join(PROJECT_DIR, dir), path.join(path.dirname(path.dirname(file)), dir), { recursive: true });
      }
      return file;
    };
    // The sim stack runs RODAN on ONNX Runtime; without that entry no model has an int8 engine.
    const int8OnTorchOnly = (b: Record<string, unknown>) => {
      delete b.engines;
      b.precision = "int8";
    };
    expect(problemsOf(withBenchmark(int8OnTorchOnly))).toEqual(["benchmark.precision: int8 needs engine onnxruntime or tensorrt (PyTorch has no int8 kernels on CUDA)"]);
    expect(problemsOf(withBenchmark((b) => Object.assign(b, { precision: "fp16", engine: "onnxruntime" })))).toEqual(["benchmark.precision: fp16 on engine onnxruntime: it takes fp32, int8"]);
    expect(problemsOf(withBenchmark((b) => (b.engines = { chiron: "onnxruntime" })))).toEqual(["benchmark.engines.chiron: chiron runs on torch only (engines run sacall and rodan); remove the entry"]);
    expect(problemsOf(withBenchmark((b) => (b.engine = "openvino")))[0]).toMatch(/^benchmark\.engine: /);
    // int8 on one model's engine is enough: the others fall back to fp32, as Chiron does for fp16.
    const ok = validateStackFile(withBenchmark((b) => Object.assign(b, { precision: "int8", engines: { rodan: "onnxruntime" } })));
    expect(ok.ok).toBe(true);
  });

  it("refuses a live benchmark of a model no node runs, or a speed that is not a positive multiple, at the key", () => {
    const withLive = (live: Record<string, unknown>) => {
      const file = brokenCopy("sim", (c) => ((c["edgecall:benchmark"] as Record<string, unknown>).live = live));
      for (const dir of ["test/sim/dataset", "test/sim/dataset.manifest.tsv", "test/sim/k3s-airgap"]) {
        fs.cpSync(path.join(PROJECT_DIR, dir), path.join(path.dirname(path.dirname(file)), dir), { recursive: true });
      }
      return file;
    };
    const file = withLive({ models: ["chiron"], speeds: [1] });
    expect(validateStackFile(file).ok).toBe(true);
    const orinOnly = brokenCopy("sim", (c) => {
      (c["edgecall:nodes"] as Array<{ models: string[] }>).forEach((n) => (n.models = n.models.filter((m) => m !== "chiron")));
      (c["edgecall:benchmark"] as Record<string, unknown>).live = { models: ["chiron"], speeds: [1] };
    });
    for (const dir of ["test/sim/dataset", "test/sim/dataset.manifest.tsv", "test/sim/k3s-airgap"]) {
      fs.cpSync(path.join(PROJECT_DIR, dir), path.join(path.dirname(path.dirname(orinOnly)), dir), { recursive: true });
    }
    expect(problemsOf(orinOnly)).toContain("benchmark.live.models: chiron runs on no node of the stack (nodes[].models); remove it or add it to a node");
    expect(problemsOf(withLive({ speeds: [0] }))).toEqual(["benchmark.live.speeds[0]: a speed is a positive multiple of the flow cell's rate, got 0"]);
  });

  it("checks benchmark.flowCell, naming the field and the unit it expects", () => {
    const file = brokenCopy("sim", (c) => {
      (c["edgecall:benchmark"] as { flowCell: unknown }).flowCell = { channels: 512.5, sampleRateHz: 4_000_000 };
    });
    for (const dir of ["test/sim/dataset", "test/sim/k3s-airgap"]) {
      fs.cpSync(path.join(PROJECT_DIR, dir), path.join(path.dirname(path.dirname(file)), dir), { recursive: true });
    }
    expect(problemsOf(file).sort()).toEqual([
      "benchmark.flowCell.channels: channels must be a whole number, got 512.5",
      "benchmark.flowCell.sampleRateHz: sampleRateHz is in Hz: at most 1000000 (nanopore devices sample at 3 to 5 kHz), got 4000000",
    ]);
  });

  it("defaults benchmark.flowCell to a MinION on R9.4.1", () => {
    const parsed = benchmarkConfigSchema.parse({ dataset: { url: "https://data.example/x", manifest: "m.tsv" }, reference: "ref.fa" });
    expect(parsed.flowCell).toEqual({ channels: 512, sampleRateHz: 4000 });
    expect(benchmarkConfigSchema.parse({ dataset: { url: "https://data.example/x", manifest: "m.tsv" }, reference: "ref.fa", flowCell: { channels: 512, sampleRateHz: 5000 } }).flowCell.sampleRateHz).toBe(5000);
  });

  it("fills defaults that the components rely on", () => {
    const result = validateConfig(
      { nodes: [{ name: "solo", host: "10.0.0.5", role: "server", board: "orin" }], ssh: { privateKey: "key" } },
      PROJECT_DIR,
      "runtime",
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.config.nodes[0]).toMatchObject({ port: 22, models: [] });
    expect(result.config.ssh).toMatchObject({ user: "jetson", dialErrorLimit: 3, perDialTimeout: 10 });
    expect(result.config.k3s).toMatchObject({ version: "v1.30.6+k3s1", runtime: "containerd", install: { source: "online" } });
    expect(result.config.scheduling.mode).toBe("one-per-node");
  });
});

describe("loadStackConfig (what pulumi up runs first)", () => {
  it("fails on the stack file's problems before looking at run-time values", () => {
    const file = brokenCopy("lab", (c) => {
      (c["edgecall:nodes"] as Nodes)[0].role = "boss";
    });
    const projectDir = path.dirname(path.dirname(file));
    expect(() => loadStackConfig(projectDir, "lab", {})).toThrow(/invalid edgecall config \(stacks\/Pulumi\.lab\.yaml\):\n {2}nodes\[0\]\.role: /);
  });

  it("returns decrypted secrets from the run-time config when the stack file is valid", () => {
    const config = loadStackConfig(PROJECT_DIR, "orin", {
      "edgecall:nodes": JSON.stringify(exampleConfig("orin")["edgecall:nodes"]),
      "edgecall:ssh": JSON.stringify({ user: "jetson", privateKey: "PRIVATE", sudoPassword: "SUDO" }),
      "edgecall:scheduling": JSON.stringify({ mode: "packed" }),
      "edgecall:images": JSON.stringify(exampleConfig("orin")["edgecall:images"]),
    });
    expect(config.ssh.privateKey).toBe("PRIVATE");
    expect(config.ssh.sudoPassword).toBe("SUDO");
    expect(config.scheduling.mode).toBe("packed");
  });
});
