import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDocument } from "yaml";
import type { FixtureDataset } from "./fixture-dataset";
import { ensureBuilt } from "../helpers/build";

export const PROJECT_DIR = path.resolve(__dirname, "../..");

/** What a `pulumi` run printed and how it ended. */
export interface PulumiResult {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

export interface RunOptions {
  input?: string;
  timeoutMs?: number;
  /** Also pass what it prints through to this process's stdout and stderr, as it comes. */
  echo?: boolean;
  /** Called with each piece of output as it comes (stdout and stderr alike). */
  onOutput?: (text: string) => void;
}

/** A `pulumi` command still running. */
export interface RunningPulumi {
  child: ChildProcess;
  result: Promise<PulumiResult>;
  output(): string;
}

/**
 * What `pulumi up` of the sim stack reads from the repository: the compiled program (dist/) and the
 * files its modules read from the sources (host scripts, pod scripts, bases, migrations).
 */
const PROGRAM_FILES = [
  "Pulumi.yaml",
  "package.json",
  "dist",
  "domain",
  "infra",
  "components",
  "images",
  "benchmarks",
  "stacks/Pulumi.sim.yaml",
  "test/sim/k3s-airgap",
  "test/sim/dataset",
  "test/sim/dataset.manifest.tsv",
];

/** The stack file `pulumi config set` writes; a kept project keeps it (it holds the encrypted secrets). */
const STACK_FILE = "stacks/Pulumi.sim.yaml";

/** The passphrase of the sim stack's secrets: a local test stack, so not a secret itself. */
export const SIM_PASSPHRASE = "edgecall-sim-passphrase";

export interface SimProjectOptions {
  /**
   * Keep the project here across runs (its state, and its stack file with the secrets), with the
   * program copied afresh from the repository each time; by default a new temporary directory.
   */
  root?: string;
}

/**
 * A copy of the edgecall project with its own file backend and passphrase secrets, so `pulumi
 * stack init` and `pulumi config set` never touch the repository's stack files.
 */
export class SimProject {
  readonly dir: string;
  readonly stateDir: string;
  readonly manifestsDir: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(toolchainEnv: NodeJS.ProcessEnv, options: SimProjectOptions = {}) {
    ensureBuilt();
    const root = options.root ?? fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-e2e-"));
    this.dir = path.join(root, "project");
    this.stateDir = path.join(root, "state");
    fs.mkdirSync(this.stateDir, { recursive: true });
    for (const entry of PROGRAM_FILES) {
      const target = path.join(this.dir, entry);
      if (entry === STACK_FILE && fs.existsSync(target)) continue;
      fs.rmSync(target, { recursive: true, force: true });
      if (fs.existsSync(path.join(PROJECT_DIR, entry))) fs.cpSync(path.join(PROJECT_DIR, entry), target, { recursive: true });
    }
    fs.rmSync(path.join(this.dir, "node_modules"), { force: true });
    fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(this.dir, "node_modules"));
    this.manifestsDir = path.join(this.dir, ".sim", "manifests");
    this.env = {
      ...toolchainEnv,
      PULUMI_BACKEND_URL: `file://${this.stateDir}`,
      PULUMI_CONFIG_PASSPHRASE: SIM_PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      NO_COLOR: "1",
    };
  }

  /** Runs `pulumi ARGS` in the project with a time bound; never rejects on a non-zero exit. */
  pulumi(args: string[], options: RunOptions = {}): Promise<PulumiResult> {
    return this.start(args, options).result;
  }

  /** The environment `pulumi` runs in here: the toolchain's, with this project's backend and passphrase. */
  get pulumiEnv(): NodeJS.ProcessEnv {
    return this.env;
  }

  /**
   * Starts `pulumi ARGS` in a process group of its own, so that a test can interrupt it the way a
   * terminal does (a signal to the whole group). `output()` is what it printed so far.
   */
  start(args: string[], options: RunOptions = {}): RunningPulumi {
    const started = Date.now();
    const child = spawn("pulumi", [...args, "--non-interactive", "--color", "never"], { cwd: this.dir, env: this.env, detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      options.onOutput?.(chunk.toString());
      if (options.echo) process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onOutput?.(chunk.toString());
      if (options.echo) process.stderr.write(chunk);
    });
    const result = new Promise<PulumiResult>((resolve, reject) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 600_000);
      child.on("error", reject);
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        resolve({ code: code ?? (signal === null ? -1 : 128), stdout, stderr, seconds: (Date.now() - started) / 1000 });
      });
    });
    child.stdin.end(options.input ?? "");
    return { child, result, output: () => stdout + stderr };
  }

  /** `pulumi ARGS` that must succeed; the error names the command and shows its output. */
  async pulumiOk(args: string[], options: RunOptions = {}): Promise<PulumiResult> {
    const result = await this.pulumi(args, options);
    if (result.code !== 0) {
      throw new Error(`pulumi ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    }
    return result;
  }

  /**
   * Creates the `sim` stack (or selects it, kept from an earlier run) and sets its two secrets, as
   * the README tells a user to. `render`: Kubernetes objects are rendered to .sim/manifests and K3s
   * runs on Docker, as on JetPack 4 (boards without a cluster). `dataset`: the benchmark's reads.
   */
  /**
   * `digests` (reference -> sha256 digest, cluster-store.sh's digests.tsv) pins each image of the
   * stack file that the store holds by its digest (`ref@sha256:...`), as a lab pins its images.
   */
  async initSimStack(privateKey: string, sudoPassword: string, options: { render?: boolean; dataset?: FixtureDataset; digests?: Readonly<Record<string, string>> } = {}): Promise<void> {
    if ((await this.pulumi(["stack", "select", "sim"])).code !== 0) {
      await this.pulumiOk(["stack", "init", "sim", "--secrets-provider", "passphrase"]);
    }
    await this.pulumiOk(["config", "set", "--secret", "--path", "edgecall:ssh.privateKey"], { input: privateKey });
    await this.pulumiOk(["config", "set", "--secret", "--path", "edgecall:ssh.sudoPassword", sudoPassword]);
    const settings: Array<[string, string]> = [];
    if (options.render) settings.push(["k3s.runtime", "docker"], ["k3s.renderManifestsTo", ".sim/manifests"]);
    if (options.dataset) {
      settings.push(["benchmark.dataset.path", options.dataset.dir], ["benchmark.dataset.manifest", options.dataset.manifest], ["benchmark.reference", options.dataset.reference]);
    }
    if (options.digests) settings.push(...this.pinnedImages(options.digests));
    for (const [key, value] of settings) await this.pulumiOk(["config", "set", "--path", `edgecall:${key}`, value]);
  }

  /** The stack file's image settings that `digests` knows, each as [config path, ref@digest]. */
  private pinnedImages(digests: Readonly<Record<string, string>>): Array<[string, string]> {
    const config = (parseDocument(fs.readFileSync(path.join(this.dir, STACK_FILE), "utf8")).toJS() as { config: Record<string, unknown> }).config;
    const images = (config["edgecall:images"] ?? {}) as { models?: Record<string, string>; converter?: string; tools?: string };
    const store = (config["edgecall:metricsStore"] ?? {}) as { image?: string };
    const candidates: Array<[string, string | undefined]> = [
      ...Object.entries(images.models ?? {}).map(([model, ref]): [string, string] => [`images.models.${model}`, ref]),
      ["images.converter", images.converter],
      ["images.tools", images.tools],
      ["metricsStore.image", store.image],
    ];
    return candidates.flatMap(([key, ref]) => (ref !== undefined && digests[ref] !== undefined ? [[key, `${ref}@${digests[ref]}`] as [string, string]] : []));
  }

  /**
   * Adds agent boards to this copy's stack file (before `pulumi up`): each a node that runs no
   * model, for measuring how provisioning grows with the board count.
   */
  addAgents(agents: Array<{ name: string; host: string; kind: string }>): void {
    const file = path.join(this.dir, STACK_FILE);
    const doc = parseDocument(fs.readFileSync(file, "utf8"));
    const nodes = doc.getIn(["config", "edgecall:nodes"]) as { add(value: unknown): void };
    for (const agent of agents) nodes.add(doc.createNode({ name: agent.name, host: agent.host, role: "agent", board: agent.kind }));
    fs.writeFileSync(file, doc.toString());
  }

  /**
   * Points the stack's nodes, in order, at these addresses (before `pulumi up`): the stack's node
   * names stay, the boards behind them are others (the rehearsal's own, beside the cluster test's).
   */
  setNodeHosts(hosts: readonly string[]): void {
    const file = path.join(this.dir, STACK_FILE);
    const doc = parseDocument(fs.readFileSync(file, "utf8"));
    hosts.forEach((host, i) => doc.setIn(["config", "edgecall:nodes", i, "host"], host));
    fs.writeFileSync(file, doc.toString());
  }

  /** Every rendered manifest file, relative to the manifests directory. */
  renderedManifests(): string[] {
    if (!fs.existsSync(this.manifestsDir)) return [];
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.ya?ml$/.test(entry.name)) files.push(full);
      }
    };
    walk(this.manifestsDir);
    return files.sort();
  }

  /** Removes the project and its state. */
  remove(): void {
    fs.rmSync(path.dirname(this.dir), { recursive: true, force: true });
  }
}
