import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { runProgram } from "../helpers/run-program";
import { PROJECT } from "../runner/helpers/runner-env";
import { MODELS_VENV, modelsTierMissing, unpackUpstream } from "./helpers/models-env";

// Chiron's network needs TensorFlow 1.x (tf.contrib), which has no build for Python 3.8 or later and
// none for this machine's kind beside the boards' NVIDIA wheel: its graph, checkpoint restore and
// decoding are untested here. What runs without it: the adapter's segment cut and upstream's own
// assembler, which joins the overlapping segments' calls.
const missing = modelsTierMissing();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-chiron-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(missing !== undefined)("Chiron without TensorFlow", () => {
  it("joins the adapter's overlapping segments through upstream's assembler, no base doubled or lost", async () => {
    const upstream = await unpackUpstream("chiron", tmp);
    const run = await runProgram(path.join(MODELS_VENV, "bin", "python"), [path.join(PROJECT, "test/models/python/chiron_assembly.py"), upstream], { timeoutMs: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { expected: string; assembled: string; segments: number; kernel: string; concatenated: number };
    expect(result.kernel).toBe("simple");
    expect(result.segments).toBeGreaterThan(50);
    // Joined end to end the segments' calls would repeat each base about 400 / 30 times.
    expect(result.concatenated).toBeGreaterThan(5 * result.expected.length);
    expect(result.assembled).toBe(result.expected);
  });
});
