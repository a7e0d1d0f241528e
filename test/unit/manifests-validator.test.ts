import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { validateManifests, validatorMissing } from "../manifests/validate";

const missing = validatorMissing();
if (missing.length > 0 && process.env.CI === "true") {
  throw new Error(`the manifest validator needs ${missing.join(", ")}: run test/setup/install-unit-tier.sh`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-validator-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function manifest(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe.skipIf(missing.length > 0)("the offline Kubernetes manifest validator", () => {
  it("accepts valid objects of the kinds edgecall renders", async () => {
    const file = manifest(
      "valid.yaml",
      [
        "apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: nvidia}\nhandler: nvidia",
        "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: NodePort, ports: [{port: 8080, targetPort: 8080, nodePort: 6001}]}",
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  backoffLimit: 0\n  template:\n    spec:\n      restartPolicy: Never\n      initContainers: [{name: t, image: x, restartPolicy: Always}]\n      containers: [{name: c, image: x, resources: {limits: {nvidia.com/gpu: 1}}}]",
      ].join("\n---\n"),
    );
    const results = await validateManifests([file]);
    // kubeconform validates in parallel, so its report is in no fixed order.
    expect(results.map((r) => [r.kind, r.status]).sort()).toEqual([
      ["Job", "valid"],
      ["RuntimeClass", "valid"],
      ["Service", "valid"],
    ]);
  });

  it("rejects a wrong field type and an unknown (misspelt) field, naming each", async () => {
    const file = manifest(
      "invalid.yaml",
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: bad}\nspec:\n  replicas: one\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: c, image: x, imagePullPolice: Always}]\n",
    );
    const [result] = await validateManifests([file]);
    expect(result).toMatchObject({ kind: "Deployment", name: "bad", status: "invalid" });
    expect(result.errors.join("\n")).toContain("/spec/replicas");
    expect(result.errors.join("\n")).toContain("imagePullPolice");
  });

  it("reports a kind it has no schema for instead of passing it", async () => {
    const file = manifest("unknown.yaml", "apiVersion: example.io/v1\nkind: Widget\nmetadata: {name: w}\n");
    const [result] = await validateManifests([file]);
    expect(result.status).toBe("error");
    expect(result.errors[0]).toMatch(/could not find schema|schema/i);
  });
});
