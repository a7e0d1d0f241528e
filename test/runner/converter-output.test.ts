import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { fixture } from "../benchmarks/fixtures";
import { VENV, venvMissing } from "./helpers/runner-env";

const chiron = fixture("fast5/r94_chiron_dna_single");
const missing = venvMissing("edgecall-convert") ?? chiron.missing;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-convert-output-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function convert(input: string, output: string, model: string) {
  const result = spawnSync(path.join(VENV, "bin", "edgecall-convert"), ["--input", input, "--output", output, "--model", model], {
    encoding: "utf8",
    env: { ...process.env, HDF5_PLUGIN_PATH: path.join(VENV, "hdf5-plugins") },
  });
  return { code: result.status, stderr: result.stderr };
}

/** An input directory holding the first `count` files of the chiron fixture set. */
function subset(name: string, count: number): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  for (const file of fs.readdirSync(chiron.path).sort().slice(0, count)) fs.copyFileSync(path.join(chiron.path, file), path.join(dir, file));
  return dir;
}

function npzReads(output: string): string[] {
  const result = spawnSync(path.join(VENV, "bin", "python"), ["-c", "import numpy, sys; print(' '.join(sorted(numpy.load(sys.argv[1]).files)))", path.join(output, "reads.npz")], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout.trim().split(" ");
}

describe.skipIf(missing !== undefined)("the converter's output directory holds exactly one whole conversion", () => {
  it("leaves an earlier good reads.npz and load.jsonl as they were when a later run fails", () => {
    const parent = fs.mkdtempSync(path.join(tmp, "failed-"));
    const output = path.join(parent, "input");
    expect(convert(chiron.path, output, "ctc-test").code).toBe(0);
    const before = { npz: fs.readFileSync(path.join(output, "reads.npz")), load: fs.readFileSync(path.join(output, "load.jsonl")) };
    expect(before.load.length).toBeGreaterThan(0);

    const broken = path.join(tmp, "only-truncated");
    fs.mkdirSync(broken);
    const victim = fs.readdirSync(chiron.path).sort()[0];
    const bytes = fs.readFileSync(path.join(chiron.path, victim));
    fs.writeFileSync(path.join(broken, victim), bytes.subarray(0, Math.floor(bytes.length / 3)));
    const failed = convert(broken, output, "ctc-test");
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`no reads converted; ${output} left as it was`);
    expect(fs.readFileSync(path.join(output, "reads.npz")).equals(before.npz)).toBe(true);
    expect(fs.readFileSync(path.join(output, "load.jsonl")).equals(before.load)).toBe(true);
    // No staging directory is left beside the output.
    expect(fs.readdirSync(parent)).toEqual(["input"]);
  });

  it("replaces a whole conversion by a subset's, with no stale per-read file left beside it", () => {
    const parent = fs.mkdtempSync(path.join(tmp, "subset-"));
    const output = path.join(parent, "input");
    expect(convert(chiron.path, output, "chiron").code).toBe(0);
    const all = fs.readdirSync(output).filter((f) => f.endsWith(".signal"));
    expect(all.length).toBeGreaterThan(2);

    expect(convert(subset("two-files", 2), output, "chiron").code).toBe(0);
    const signals = fs.readdirSync(output).filter((f) => f.endsWith(".signal"));
    expect(signals).toHaveLength(2);
    expect(fs.readdirSync(output).sort()).toEqual(["conversion.json", "load.jsonl", "reads.npz", ...signals].sort());
    expect(npzReads(output)).toHaveLength(2);
    expect(fs.readFileSync(path.join(output, "load.jsonl"), "utf8").trim().split("\n")).toHaveLength(2);
    expect(fs.readdirSync(parent)).toEqual(["input"]);
  });

  it("names a missing --input and creates no output", () => {
    const parent = fs.mkdtempSync(path.join(tmp, "missing-"));
    const output = path.join(parent, "input");
    const absent = path.join(tmp, "no-such-dataset");
    const result = convert(absent, output, "ctc-test");
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`edgecall-convert: --input ${absent}: no such directory`);
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  it.each([
    ["is --input itself", (input: string) => input],
    ["holds --input", (input: string) => path.dirname(input)],
    ["lies inside --input", (input: string) => path.join(input, "converted")],
  ])("refuses an --output that %s, leaving the dataset as it was", (_name, outputFor) => {
    const input = subset(`overlap-${_name.replace(/\W+/g, "-")}`, 1);
    const before = fs.readdirSync(path.dirname(input)).sort();
    const result = convert(input, outputFor(input), "ctc-test");
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^edgecall-convert: --output .*: overlaps --input .*; choose a directory outside it$/);
    expect(fs.readdirSync(input)).toHaveLength(1);
    expect(fs.readdirSync(path.dirname(input)).sort()).toEqual(before);
  });

  it("refuses an --output that holds the --manifest", () => {
    const output = fs.mkdtempSync(path.join(tmp, "holds-manifest-"));
    const manifest = path.join(output, "manifest.tsv");
    fs.writeFileSync(manifest, `file\tsha256\nx.fast5\t${"0".repeat(64)}\n`);
    const result = spawnSync(path.join(VENV, "bin", "edgecall-convert"), ["--input", chiron.path, "--output", output, "--model", "ctc-test", "--manifest", manifest], { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(`edgecall-convert: --output ${output}: holds --manifest ${manifest}; choose a directory outside it`);
    expect(fs.existsSync(manifest)).toBe(true);
  });

  it("refuses an --output that is a file before converting, and leaves no staging directory", () => {
    const parent = fs.mkdtempSync(path.join(tmp, "file-output-"));
    const output = path.join(parent, "input");
    fs.writeFileSync(output, "not a directory\n");
    const result = convert(chiron.path, output, "ctc-test");
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`edgecall-convert: --output ${output}: not a directory`);
    expect(fs.readdirSync(parent)).toEqual(["input"]);
    expect(fs.readFileSync(output, "utf8")).toBe("not a directory\n");
  });

  it("gives a new output directory the usual mode, not the staging directory's private one", () => {
    const output = path.join(fs.mkdtempSync(path.join(tmp, "mode-")), "input");
    expect(convert(subset("one-file", 1), output, "ctc-test").code).toBe(0);
    // Another container (the model's, maybe another user) reads it: 0700 would lock it out.
    const umask = process.umask();
    expect(fs.statSync(output).mode & 0o777).toBe(0o777 & ~umask);
  });
});
