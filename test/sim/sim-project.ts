import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const PROJECT_DIR = path.resolve(__dirname, "../../..");

/** What a `pulumi` run printed and how it ended. */
export interface PulumiResult {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** What `pulumi up` of the sim stack reads from the repository. */
const PROGRAM_FILES = [
  "Pulumi.yaml",
  "package.json",
  "tsconfig.json",
  "infra",
  "components",
  "images",
  "benchmarks",
  "stacks/Pulumi.sim.yaml",
  "test/sim/k3s-airgap",
  "test/sim/dataset",
  "test/sim/dataset.manifest.tsv",
];

/**
 * A throw-away copy of the edgecall project with its own file backend and passphrase secrets, so
 * `pulumi stack init` and `pulumi config set` never touch the repository's stack files.
 */
export class SimProject {
  readonly dir: string;
  readonly stateDir: string;
  readonly manifestsDir: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(toolchainEnv: NodeJS.ProcessEnv) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-e2e-"));
    this.dir = path.join(root, "project");
    this.stateDir = path.join(root, "state");
    fs.mkdirSync(this.stateDir, { recursive: true });
    for (const entry of PROGRAM_FILES) {
      if (fs.existsSync(path.join(PROJECT_DIR, entry))) {
        fs.cpSync(path.join(PROJECT_DIR, entry), path.join(this.dir, entry), { recursive: true });
      }
    }
    fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(this.dir, "node_modules"));
    this.manifestsDir = path.join(this.dir, ".sim", "manifests");
    this.env = {
      ...toolchainEnv,
      PULUMI_BACKEND_URL: `file://${this.stateDir}`,
      PULUMI_CONFIG_PASSPHRASE: "edgecall-e2e-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      // The program is type-checked by `npm run lint`; ts-node need not do it again on every run.
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      NO_COLOR: "1",
    };
  }

  /** Runs `pulumi ARGS` in the project with a time bound; never rejects on a non-zero exit. */
  pulumi(args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<PulumiResult> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn("pulumi", [...args, "--non-interactive", "--color", "never"], { cwd: this.dir, env: this.env });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 600_000);
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr, seconds: (Date.now() - started) / 1000 });
      });
      child.stdin.end(options.input ?? "");
    });
  }

  /** `pulumi ARGS` that must succeed; the error names the command and shows its output. */
  async pulumiOk(args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<PulumiResult> {
    const result = await this.pulumi(args, options);
    if (result.code !== 0) {
      throw new Error(`pulumi ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    }
    return result;
  }

  /** Creates the `sim` stack and sets its two secrets, as the README tells a user to. */
  async initSimStack(privateKey: string, sudoPassword: string): Promise<void> {
    await this.pulumiOk(["stack", "init", "sim", "--secrets-provider", "passphrase"]);
    await this.pulumiOk(["config", "set", "--secret", "--path", "edgecall:ssh.privateKey"], { input: privateKey });
    await this.pulumiOk(["config", "set", "--secret", "--path", "edgecall:ssh.sudoPassword", sudoPassword]);
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

  remove(): void {
    fs.rmSync(path.dirname(this.dir), { recursive: true, force: true });
  }
}
