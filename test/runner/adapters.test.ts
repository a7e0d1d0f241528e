import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { VENV, venvMissing } from "./helpers/runner-env";

// The real adapters need their framework, the upstream clone and its weights, which exist only in the
// model images; here: what runs without them (windowing, the refusals and their messages).
const missingVenv = venvMissing("edgecall-runner");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-adapters-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function runner(args: string[], env: Record<string, string | undefined>) {
  const base: Record<string, string | undefined> = { ...process.env, EDGECALL_UPSTREAM_DIR: undefined, EDGECALL_WEIGHTS: undefined, EDGECALL_MODEL: undefined };
  return spawnSync(path.join(VENV, "bin", "edgecall-runner"), args, { encoding: "utf8", env: { ...base, ...env } as NodeJS.ProcessEnv });
}

describe.skipIf(missingVenv !== undefined)("model adapters without their frameworks", () => {
  it("gives every read of a batch its own windows back, whatever the read lengths and rows per pass", () => {
    const code = [
      "import json, numpy",
      "from edgecall_runner.adapters.windows import run_windows",
      "signals = [numpy.full(n, float(i + 1)) for i, n in enumerate([5000, 10, 2048, 4097, 1])]",
      "passes = []",
      "def forward(w):",
      "    passes.append(len(w))",
      "    return w[:, :1]",
      "out = run_windows(signals, 2048, -10.0, forward, 3)",
      "print(json.dumps({'rows': [len(o) for o in out], 'ids': [sorted(set(o[:, 0].tolist())) for o in out], 'passes': passes}))",
    ].join("\n");
    const result = spawnSync(path.join(VENV, "bin", "python"), ["-c", code], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    const parsed = JSON.parse(result.stdout) as { rows: number[]; ids: number[][]; passes: number[] };
    expect(parsed.rows).toEqual([3, 1, 1, 3, 1]);
    expect(parsed.ids).toEqual([[1], [2], [3], [4], [5]]);
    expect(Math.max(...parsed.passes)).toBe(3);
  });

  it("stitches a read's windows without losing or doubling a base at the joins", () => {
    // A constructed read whose per-step labels are written into the signal: each base held for 4
    // steps, then 3 blank steps. Windows of 25 steps cut through bases, as real joins do.
    const code = [
      "import json, numpy",
      "from edgecall_runner.adapters.ctc import greedy_decode",
      "from edgecall_runner.adapters.windows import decode_read, run_windows",
      "ALPHABET, STRIDE, WINDOW = 'NACGT', 4, 100",
      "bases = numpy.random.RandomState(7).randint(1, 5, size=60)",
      "labels = numpy.concatenate([[b] * 4 + [0] * 3 for b in bases])",
      "signal = numpy.repeat(labels.astype('float32'), STRIDE)",
      "def forward(windows):",
      "    steps = windows[:, ::STRIDE].astype(int).clip(min=0)",
      "    return numpy.eye(5)[steps] * 0.9 + 0.02",
      "windows = run_windows([signal], WINDOW, -1.0, forward, 8)[0]",
      "decode = lambda steps: greedy_decode(steps, ALPHABET)",
      "sequence, quality = decode_read(windows, decode)",
      "print(json.dumps({'expected': ''.join(ALPHABET[b] for b in bases), 'joined': sequence, 'quality': len(quality),",
      "  'window_by_window': ''.join(decode(w)[0] for w in windows), 'windows': len(windows),",
      "  'straddling': sum(1 for k in range(1, len(windows)) if windows[k - 1][-1].argmax() != 0 and windows[k][0].argmax() != 0)}))",
    ].join("\n");
    const result = spawnSync(path.join(VENV, "bin", "python"), ["-c", code], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    const parsed = JSON.parse(result.stdout) as { expected: string; joined: string; quality: number; window_by_window: string; windows: number; straddling: number };
    expect(parsed.windows).toBeGreaterThan(10);
    expect(parsed.straddling).toBeGreaterThan(0);
    expect(parsed.joined).toBe(parsed.expected);
    expect(parsed.quality).toBe(parsed.expected.length);
    // Decoding each window alone, as upstream does, doubles every base that straddles a join.
    expect(parsed.window_by_window.length).toBe(parsed.expected.length + parsed.straddling);
  });

  it("drops the padding label from a joined call", () => {
    const code = [
      "import json, numpy",
      "from edgecall_runner.adapters.ctc import greedy_decode",
      "from edgecall_runner.adapters.windows import decode_read",
      "LABELS = '-ATCG '",
      "def steps(labels):",
      "    return numpy.eye(6)[labels] * 0.9 + 0.01",
      "windows = [steps([1, 1, 5, 0, 2]), steps([2, 0, 5, 3, 0]), steps([4, 0, 0, 0, 0])]",
      "print(json.dumps(decode_read(windows, lambda s: greedy_decode(s, LABELS), dropped=' ')))",
    ].join("\n");
    const result = spawnSync(path.join(VENV, "bin", "python"), ["-c", code], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    const [sequence, quality] = JSON.parse(result.stdout) as [string, string];
    expect(sequence).toBe("ATCG");
    expect(quality).toHaveLength(4);
  });

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
