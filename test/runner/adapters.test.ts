import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { VENV, venvMissing } from "./helpers/runner-env";

// The real adapters need their framework, the upstream clone and its weights, which exist only in the
// model images (and the models tier); here: the command line's refusals and their messages. The
// windowing and the join of windows are unit-tested in images/runner/tests/test_windows.py.
const missingVenv = venvMissing("edgecall-runner");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-adapters-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function runner(args: string[], env: Record<string, string | undefined>) {
  const base: Record<string, string | undefined> = { ...process.env, EDGECALL_UPSTREAM_DIR: undefined, EDGECALL_WEIGHTS: undefined, EDGECALL_MODEL: undefined };
  return spawnSync(path.join(VENV, "bin", "edgecall-runner"), args, { encoding: "utf8", env: { ...base, ...env } as NodeJS.ProcessEnv });
}

describe.skipIf(missingVenv !== undefined)("model adapters without their frameworks", () => {
  it("refuses --precision fp16 for a model that is not PyTorch, before loading it", () => {
    const refused = runner(["batch", "--input", tmp, "--output", path.join(tmp, "out"), "--model", "ctc-test", "--precision", "fp16"], {});
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe("edgecall-runner: --precision fp16: ctc-test is not a PyTorch model; fp16 is for catcaller, rodan, sacall; use --precision fp32\n");
    const standIn = runner(["batch", "--input", tmp, "--output", path.join(tmp, "out"), "--model", "sacall", "--precision", "fp16"], { EDGECALL_STAND_IN_MODEL: "ctc-test" });
    expect(standIn.stderr).toBe("edgecall-runner: --precision fp16: ctc-test is not a PyTorch model; fp16 is for catcaller, rodan, sacall; use --precision fp32\n");
    const withoutTorch = runner(["batch", "--input", tmp, "--output", path.join(tmp, "out"), "--model", "chiron", "--precision", "fp16"], { EDGECALL_UPSTREAM_DIR: tmp });
    expect(withoutTorch.stderr).toContain("--precision fp16: chiron is not a PyTorch model");
  });

  it("refuses RODAN's RNA-only weights on DNA reads, saying what to do", () => {
    const upstream = path.join(tmp, "rodan");
    fs.mkdirSync(upstream, { recursive: true });
    fs.writeFileSync(path.join(upstream, "rna.torch"), "not loaded before the check");
    const refused = runner(["batch", "--input", tmp, "--output", path.join(tmp, "out"), "--model", "rodan"], { EDGECALL_UPSTREAM_DIR: upstream });
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim().split("\n")).toEqual([
      `edgecall-runner: RODAN's shipped weights (${upstream}/rna.torch) are trained on RNA only and the reads are DNA: give DNA weights in EDGECALL_WEIGHTS, or pass --allow-rna-weights-on-dna to basecall anyway`,
    ]);
    const rna = runner(["batch", "--input", tmp, "--output", path.join(tmp, "out"), "--model", "rodan", "--molecule", "rna"], { EDGECALL_UPSTREAM_DIR: upstream });
    expect(rna.stderr).not.toContain("trained on RNA only");
    const allowed = runner(["batch", "--input", tmp, "--output", path.join(tmp, "out"), "--model", "rodan", "--allow-rna-weights-on-dna"], { EDGECALL_UPSTREAM_DIR: upstream });
    expect(allowed.stderr).not.toContain("trained on RNA only");
    expect(allowed.stderr).toMatch(/^edgecall-runner: rodan needs the Python package torch .*; run it in the rodan image\n$/);
  });

  it.each(["sacall", "catcaller", "chiron", "rodan"])("%s says where its upstream clone should be, in one line", (model) => {
    const result = runner(["serve", "--port", "0", "--host", "127.0.0.1"], { EDGECALL_MODEL: model });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`edgecall-runner: EDGECALL_UPSTREAM_DIR is not set: point it at the ${model} clone (the image sets it)\n`);
  });
});
