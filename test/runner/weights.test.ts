import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture } from "../benchmarks/fixtures";
import { runProgram } from "../helpers/run-program";
import { PROJECT, VENV, venvMissing } from "./helpers/runner-env";

// The runner in this checkout, whichever tree the venv's own install points at.
const PYTHONPATH = [path.join(PROJECT, "images", "runner"), path.join(PROJECT, "images", "converter")].join(path.delimiter);
const missingVenv = venvMissing();
const klebsiella = fixture("fast5/r941_klebsiella_single");
const missing = missingVenv ?? klebsiella.missing;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-weights-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const weights = path.join(tmp, "model.weights");
const bytes = Buffer.from("weights of a basecaller, or a stand-in for them\n");
const digest = createHash("sha256").update(bytes).digest("hex");
const other = "0123456789abcdef".repeat(4);
const converted = path.join(tmp, "converted");

function bin(name: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH };
  for (const key of ["EDGECALL_WEIGHTS", "EDGECALL_WEIGHTS_SHA256", "EDGECALL_UPSTREAM_DIR", "EDGECALL_STAND_IN_MODEL"]) delete base[key];
  return runProgram(path.join(VENV, "bin", name), args, { env: { ...base, ...env } });
}

function batch(output: string, env: NodeJS.ProcessEnv, model = "ctc-test") {
  return bin("edgecall-runner", ["batch", "--input", converted, "--output", output, "--model", model, "--batch-size", "8", "--warmup", "0", "--idle-baseline-s", "0"], env);
}

describe.skipIf(missing !== undefined)("weights as a verified input (edgecall_runner.weights)", () => {
  beforeAll(async () => {
    fs.writeFileSync(weights, bytes);
    const result = await bin("edgecall-convert", ["--input", klebsiella.path, "--output", converted, "--model", "ctc-test"]);
    expect(result.status, result.stderr).toBe(0);
  });

  it("refuses weights whose sha256 is not the pinned one, naming the model, the file and both digests, before any read", async () => {
    const out = path.join(tmp, "refused");
    const result = await batch(out, { EDGECALL_WEIGHTS: weights, EDGECALL_WEIGHTS_SHA256: other });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(`edgecall-runner: ctc-test: refusing weights ${weights}: sha256 ${digest} is not the pinned ${other} (EDGECALL_WEIGHTS_SHA256)`);
    expect(fs.existsSync(path.join(out, "calls.fastq"))).toBe(false);
  });

  it("refuses them under an upstream model's name too (the stand-in of the simulated cluster)", async () => {
    const result = await batch(path.join(tmp, "refused-rodan"), { EDGECALL_WEIGHTS: weights, EDGECALL_WEIGHTS_SHA256: other, EDGECALL_STAND_IN_MODEL: "ctc-test" }, "rodan");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`rodan: refusing weights ${weights}: sha256 ${digest} is not the pinned ${other}`);
  });

  it("ends serve with status 1 and the same message, so the model service never becomes ready", async () => {
    const result = await bin("edgecall-runner", ["serve", "--model", "ctc-test", "--host", "127.0.0.1", "--port", "0"], { EDGECALL_WEIGHTS: weights, EDGECALL_WEIGHTS_SHA256: other });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`ctc-test: refusing weights ${weights}: sha256 ${digest} is not the pinned ${other} (EDGECALL_WEIGHTS_SHA256)`);
  });

  it("loads weights with the pinned digest and records weights_verified: true in run.json", async () => {
    const out = path.join(tmp, "verified");
    const result = await batch(out, { EDGECALL_WEIGHTS: weights, EDGECALL_WEIGHTS_SHA256: digest });
    expect(result.status, result.stderr).toBe(0);
    const run = JSON.parse(fs.readFileSync(path.join(out, "run.json"), "utf8")) as Record<string, unknown>;
    expect(run).toMatchObject({ model: "ctc-test", weights_verified: true });
    expect(run.weights_sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("records weights_verified: false when nothing pins the weights", async () => {
    const out = path.join(tmp, "unpinned");
    const result = await batch(out, {});
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(out, "run.json"), "utf8"))).toMatchObject({ weights_verified: false });
  });

  it("refuses a pin that is not a sha256, and a pin without EDGECALL_WEIGHTS", async () => {
    const bad = await batch(path.join(tmp, "bad-pin"), { EDGECALL_WEIGHTS: weights, EDGECALL_WEIGHTS_SHA256: "ABC" });
    expect(bad.stderr).toContain("ctc-test: EDGECALL_WEIGHTS_SHA256 is 'ABC', not a sha256 (64 lowercase hex characters)");
    expect(bad.status).toBe(1);
    const nofile = await batch(path.join(tmp, "no-file"), { EDGECALL_WEIGHTS_SHA256: digest });
    expect(nofile.stderr).toContain("ctc-test: EDGECALL_WEIGHTS_SHA256 is set but EDGECALL_WEIGHTS is not");
    expect(nofile.status).toBe(1);
  });

  it("checks the clone's default weights against the <file>.sha256 the image build wrote beside them", async () => {
    const clone = path.join(tmp, "clone");
    fs.mkdirSync(clone);
    fs.writeFileSync(path.join(clone, "model.chkpt"), bytes);
    const check = (pin: string) => {
      fs.writeFileSync(path.join(clone, "model.chkpt.sha256"), `${pin}  model.chkpt\n`);
      return bin("python", ["-c", "from edgecall_runner.weights import verify_weights; print(verify_weights('sacall'))"], { EDGECALL_UPSTREAM_DIR: clone });
    };
    const good = await check(digest);
    expect(good.stdout.trim(), good.stderr).toBe("True");
    const bad = await check(other);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(`ModelUnavailable: sacall: refusing weights ${path.join(clone, "model.chkpt")}: sha256 ${digest} is not the pinned ${other} (${path.join(clone, "model.chkpt.sha256")})`);
  });
});
