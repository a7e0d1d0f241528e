import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { parseStepOutput } from "../../../components/remote/remote-step";

/** The Pulumi SDK's wire marker for a secret value inside a resource's inputs. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** One resource as the mocked engine saw it. */
export interface RecordedResource {
  type: string;
  name: string;
  urn: string;
  /** Inputs with secrets unwrapped. */
  inputs: Record<string, unknown>;
  /** Dotted paths of inputs that arrived as secrets, e.g. `connection.privateKey`. */
  secretInputs: string[];
  /** URNs the engine was told this resource depends on. */
  dependencies: string[];
}

export const PROJECT_DIR = path.resolve(__dirname, "../../..");

/** The L4T release a mocked board reports: JetPack 4.6.1 on a Nano, 5.1 on a Xavier, 6 on an Orin. */
export const MOCK_L4T: Readonly<Record<string, string>> = { nano: "R32.7.1", xavier: "R35.4.1", orin: "R36.3.0" };

/** What a mocked host step prints: facts that preflight, power mode and the kubeconfig step report. */
function mockStepStdout(name: string, env: Record<string, string>): string {
  if (name.endsWith("-preflight")) {
    const board = env.EDGECALL_BOARD ?? "nano";
    return `l4t=${MOCK_L4T[board]}\nmodel=NVIDIA Jetson ${board}\nfree_mb=20000\npower_mode_id=1\npower_mode_name=5W\nunchanged\n`;
  }
  if (name.endsWith("-power-mode")) return "power_mode_id=0\npower_mode_name=MAXN\nchanged\n";
  if (name.endsWith("-kubeconfig")) {
    const kubeconfig = "apiVersion: v1\nclusters:\n- cluster:\n    server: https://127.0.0.1:6443\n  name: default\n";
    return `kubeconfig_b64=${Buffer.from(kubeconfig).toString("base64")}\nunchanged\n`;
  }
  return "changed\n";
}

/** A built image's `repo@sha256:...`, derived from its name so each image gets its own digest. */
export function mockRepoDigest(imageName: string): string {
  const digest = createHash("sha256").update(imageName).digest("hex");
  return `${imageName.replace(/:[^:/]+$/, "")}@sha256:${digest}`;
}

function unwrapSecrets(value: unknown, at: string, secrets: string[]): unknown {
  if (Array.isArray(value)) return value.map((item, i) => unwrapSecrets(item, `${at}[${i}]`, secrets));
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  if (record[SECRET_SIG_KEY] === SECRET_SIG) {
    secrets.push(at);
    return unwrapSecrets(record.value, at, secrets);
  }
  return Object.fromEntries(
    Object.entries(record).map(([key, item]) => [key, unwrapSecrets(item, at === "" ? key : `${at}.${key}`, secrets)]),
  );
}

/** The mock monitor computes URNs the way it answers them to the program. */
interface MonitorWithUrns {
  newUrn(parent: string, type: string, name: string): string;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

/**
 * Sets Pulumi mocks that record every registered resource with its inputs, which inputs are secret,
 * and its dependencies (the public mocks API does not expose the last two, so the mock monitor's
 * registerResource is wrapped).
 */
export async function recordResources(stack: string): Promise<RecordedResource[]> {
  const recorded: RecordedResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args: pulumi.runtime.MockResourceArgs) => {
        const state: Record<string, unknown> = { ...args.inputs };
        if (args.type === "edgecall:host:Step") {
          const step = args.inputs.step as { env: Record<string, string> };
          Object.assign(state, parseStepOutput(mockStepStdout(args.name, step.env)), { inSync: true });
        }
        if (args.type === "docker:index/image:Image") state.repoDigest = mockRepoDigest(String(args.inputs.imageName));
        if (args.type === "random:index/randomPassword:RandomPassword") state.result = "mock-join-token-0123456789";
        // A node read back from the cluster, whose kubelet reports.
        if (args.type === "kubernetes:core/v1:Node") state.status = { conditions: [{ type: "Ready", status: "True" }] };
        return { id: `${args.name}-id`, state };
      },
      call: () => ({}),
    },
    "edgecall",
    stack,
    false,
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mocks = require("@pulumi/pulumi/runtime/mocks") as {
    MockMonitor: { prototype: { registerResource(this: MonitorWithUrns, req: RegisterRequest, cb: unknown): Promise<void> } };
  };
  const original = mocks.MockMonitor.prototype.registerResource;
  mocks.MockMonitor.prototype.registerResource = async function (this: MonitorWithUrns, req: RegisterRequest, cb: unknown) {
    const secretInputs: string[] = [];
    const inputs = unwrapSecrets(req.getObject()?.toJavaScript() ?? {}, "", secretInputs) as Record<string, unknown>;
    recorded.push({
      type: req.getType(),
      name: req.getName(),
      urn: this.newUrn(req.getParent(), req.getType(), req.getName()),
      inputs,
      secretInputs,
      dependencies: req.getDependenciesList(),
    });
    return original.call(this, req, cb);
  };
  return recorded;
}

/**
 * What the unit tier changes in an example stack. Under mocks no Job ever completes, so the sim
 * stack is taken as the rendering rehearsal runs it (objects rendered, K3s on Docker); its real
 * cluster is the e2e tier's.
 */
const UNDER_MOCKS: Record<string, (config: Record<string, unknown>) => void> = {
  sim: (config) => {
    config["edgecall:k3s"] = { ...(config["edgecall:k3s"] as object), runtime: "docker", renderManifestsTo: ".sim/manifests" };
  },
};

/** An example stack file's `config:` as the unit tier takes it (see UNDER_MOCKS). */
export function stackFileConfig(stack: string): Record<string, unknown> {
  const doc = parse(fs.readFileSync(path.join(PROJECT_DIR, "stacks", `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  UNDER_MOCKS[stack]?.(doc.config);
  return doc.config;
}

/** A stack file's `config:` as `pulumi.runtime.allConfig()` gives it, with secrets decrypted to test values. */
export function stackConfigForMocks(stack: string): Record<string, string> {
  const doc = { config: stackFileConfig(stack) };
  const decrypt = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(decrypt);
    if (typeof value !== "object" || value === null) return value;
    const record = value as Record<string, unknown>;
    if (typeof record.secure === "string" && Object.keys(record).length === 1) return `decrypted-test-secret-${record.secure.length}`;
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decrypt(v)]));
  };
  return Object.fromEntries(
    Object.entries(doc.config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(decrypt(value))]),
  );
}

/** Whether the input at `path` reached the engine as a secret (itself or inside a secret parent). */
export function isSecretInput(resource: RecordedResource, path: string): boolean {
  return resource.secretInputs.some((secret) => path === secret || path.startsWith(`${secret}.`));
}

/** Resolves an Output's value under mocks. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}
