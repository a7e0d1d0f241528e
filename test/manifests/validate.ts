import { spawn, spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";

/**
 * Schema validation of Kubernetes manifests for the cluster's version (K3s v1.30), offline:
 * kubeconform with strict per-kind schemas generated from the Kubernetes OpenAPI spec by
 * test/setup/install-unit-tier.sh.
 */
export const KUBERNETES_VERSION = "v1.30.6";
const CACHE = process.env.EDGECALL_TOOLCHAIN_DIR ?? path.join(os.homedir(), ".cache/edgecall/toolchain");
export const KUBECONFORM = path.join(CACHE, "bin", "kubeconform");
export const SCHEMA_DIR = path.join(CACHE, "k8s-schemas", KUBERNETES_VERSION);

/** Kinds with no schema in Kubernetes itself (CRDs of K3s add-ons): reported as skipped, never as valid. */
export const CRD_KINDS = new Set(["Middleware"]);

export interface ManifestResult {
  file: string;
  kind: string;
  name: string;
  status: "valid" | "invalid" | "error" | "skipped";
  errors: string[];
}

/** What is missing to validate here, or an empty list. */
export function validatorMissing(): string[] {
  const missing: string[] = [];
  if (spawnSync(KUBECONFORM, ["-v"]).status !== 0) missing.push(`kubeconform (${KUBECONFORM})`);
  if (spawnSync("test", ["-f", path.join(SCHEMA_DIR, "deployment_apps_v1.json")]).status !== 0) {
    missing.push(`Kubernetes ${KUBERNETES_VERSION} schemas (${SCHEMA_DIR})`);
  }
  return missing;
}

interface KubeconformResource {
  filename: string;
  kind: string;
  name: string;
  status: string;
  msg: string;
  validationErrors?: Array<{ path: string; msg: string }> | null;
}

export function validateManifests(files: string[]): Promise<ManifestResult[]> {
  const args = [
    "-strict",
    "-summary",
    "-verbose",
    "-output",
    "json",
    "-skip",
    [...CRD_KINDS].join(","),
    "-schema-location",
    `${SCHEMA_DIR}/{{ .ResourceKind }}_{{ .Group }}_{{ .ResourceAPIVersion }}.json`,
    ...files,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(KUBECONFORM, args);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", () => {
      try {
        const report = JSON.parse(stdout) as { resources: KubeconformResource[] };
        resolve(
          report.resources.map((r) => ({
            file: r.filename,
            kind: r.kind,
            name: r.name,
            status: r.status.replace(/^status/, "").toLowerCase() as ManifestResult["status"],
            errors:
              r.status === "statusValid" || r.status === "statusSkipped"
                ? []
                : (r.validationErrors ?? []).length > 0
                  ? (r.validationErrors ?? []).map((e) => `${e.path}: ${e.msg}`)
                  : [r.msg],
          })),
        );
      } catch {
        reject(new Error(`kubeconform gave no report: ${stderr.trim() || stdout.trim()}`));
      }
    });
  });
}
