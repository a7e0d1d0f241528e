import { spawnSync } from "child_process";
import { runProgram } from "../helpers/run-program";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { fixture } from "../benchmarks/fixtures";
import { PROJECT, VENV, venvMissing } from "./helpers/runner-env";

const PLUGINS = path.join(VENV, "hdf5-plugins");
const missingVenv = venvMissing("edgecall-convert");

const sets = {
  klebsiella: fixture("fast5/r941_klebsiella_single"),
  chiron: fixture("fast5/r94_chiron_dna_single"),
  ontApi: fixture("fast5/ont_fast5_api"),
};
const missing = missingVenv ?? Object.values(sets).find((s) => s.missing !== undefined)?.missing;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-convert-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Report {
  files_seen: number;
  files_converted: number;
  reads_found: number;
  reads_converted: number;
  skipped: Array<{ file: string; reason: string }>;
  missing_reads: string[];
  duplicate_reads: Array<{ read_id: string; file: string; first_file: string }>;
}

async function convert(input: string, model: string, options: { manifest?: string; plugins?: string } = {}) {
  const output = fs.mkdtempSync(path.join(tmp, `${model}-`));
  const args = ["--input", input, "--output", output, "--model", model, ...(options.manifest ? ["--manifest", options.manifest] : [])];
  const result = await runProgram(path.join(VENV, "bin", "edgecall-convert"), args, { env: { ...process.env, HDF5_PLUGIN_PATH: options.plugins ?? PLUGINS } });
  const reportFile = path.join(output, "conversion.json");
  const report = fs.existsSync(reportFile) ? (JSON.parse(fs.readFileSync(reportFile, "utf8")) as Report) : undefined;
  return { code: result.status, stderr: result.stderr, output, report };
}

function python(code: string): string {
  const result = spawnSync(path.join(VENV, "bin", "python"), ["-c", code], { encoding: "utf8", env: { ...process.env, HDF5_PLUGIN_PATH: PLUGINS } });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout.trim();
}

describe.skipIf(missing !== undefined)("the FAST5 converter on real nanopore files", () => {
  it("converts single-read R9.4.1 files to one single-read FAST5 per read for SACall, keeping the raw signal and its scaling", async () => {
    const { code, report, output } = await convert(sets.klebsiella.path, "sacall");
    expect(code).toBe(0);
    expect(report).toMatchObject({ files_seen: 48, files_converted: 48, reads_found: 48, reads_converted: 48, skipped: [] });
    const outputs = fs.readdirSync(output).filter((f) => f.endsWith(".fast5"));
    expect(outputs).toHaveLength(48);
    // The written file reads back as a single-read FAST5 with the same samples as its source.
    const check = python(
      [
        "import glob, numpy, sys",
        "sys.path.insert(0, 'images/converter')",
        "from edgecall_converter.fast5 import iter_reads",
        `src = {r.read_id: r for f in glob.glob('${sets.klebsiella.path}/*.fast5') for r in iter_reads(f)}`,
        `out = [r for f in glob.glob('${output}/*.fast5') for r in iter_reads(f)]`,
        "print(len(out), all(numpy.array_equal(r.signal, src[r.read_id].signal) and r.range == src[r.read_id].range for r in out))",
        // As SACall's and CATCaller's inference_data.py read it.
        "import h5py",
        `ids = [h5py.File(f, 'r')['Raw/Reads/'][list(h5py.File(f, 'r')['Raw/Reads/'].keys())[0]].attrs['read_id'].decode('UTF-8') for f in glob.glob('${output}/*.fast5')]`,
        `print(sorted(ids) == sorted(src) == sorted(numpy.load('${output}/reads.npz').files))`,
      ].join("\n"),
    );
    expect(check).toBe("48 True\nTrue");
  });

  it("reads multi-read FAST5 with gzip and VBZ signal, converts a read present in several files once, and writes picoamperes for RODAN", async () => {
    // The gzip and VBZ files hold the same four reads, and the single-read file one of them again.
    const { code, report, output, stderr } = await convert(sets.ontApi.path, "rodan");
    expect(code).toBe(2);
    expect(report).toMatchObject({ files_seen: 3, files_converted: 3, reads_found: 9, reads_converted: 4 });
    expect(report?.duplicate_reads).toHaveLength(5);
    expect(stderr).toMatch(/is already in multi_read_gzip\.fast5; converted once/);
    const check = python(
      [
        "import glob, numpy, sys",
        "sys.path.insert(0, 'images/converter')",
        "from edgecall_converter.fast5 import iter_reads",
        `arrays = numpy.load('${output}/reads.npz')`,
        `reads = {r.read_id: r for f in glob.glob('${sets.ontApi.path}/*.fast5') for r in iter_reads(f)}`,
        "ok = all(numpy.allclose(arrays[k], (reads[k].signal.astype('float64') + reads[k].offset) * reads[k].range / reads[k].digitisation, rtol=1e-5) for k in arrays.files)",
        "print(len(arrays.files), ok)",
      ].join("\n"),
    );
    expect(check).toBe("4 True");
  });

  it("says the VBZ plugin is missing, names the file, and still converts and counts the rest", async () => {
    const { code, report, stderr } = await convert(sets.ontApi.path, "ctc-test", { plugins: path.join(tmp, "no-plugins") });
    expect(code).toBe(2);
    expect(report).toMatchObject({ files_seen: 3, files_converted: 2, reads_converted: 4 });
    expect(report?.skipped).toHaveLength(1);
    expect(report?.skipped[0].file).toBe("multi_read_vbz.fast5");
    expect(report?.skipped[0].reason).toContain("VBZ HDF5 plugin is missing");
    expect(stderr).toContain("skipped multi_read_vbz.fast5");
  });

  it("reports a truncated file by name and skips it, with counts that add up", async () => {
    const input = path.join(tmp, "truncated-input");
    fs.cpSync(sets.chiron.path, input, { recursive: true });
    const victim = fs.readdirSync(input).sort()[0];
    const bytes = fs.readFileSync(path.join(input, victim));
    fs.writeFileSync(path.join(input, victim), bytes.subarray(0, Math.floor(bytes.length / 3)));
    const { code, report } = await convert(input, "chiron");
    expect(code).toBe(2);
    expect(report?.files_seen).toBe(report!.files_converted + report!.skipped.length);
    expect(report?.skipped.map((s) => s.file)).toEqual([victim]);
    expect(report?.reads_converted).toBe(4);
  });

  it("converts exactly the manifest's files and reads, refusing a file whose sha256 differs", async () => {
    const files = fs.readdirSync(sets.chiron.path).sort();
    const sha = (f: string) => python(`import hashlib; print(hashlib.sha256(open('${path.join(sets.chiron.path, f)}','rb').read()).hexdigest())`);
    const manifest = path.join(tmp, "manifest.tsv");
    fs.writeFileSync(manifest, `file\tsha256\n${files[0]}\t${sha(files[0])}\n${files[1]}\t${"0".repeat(64)}\n`);
    const { code, report } = await convert(sets.chiron.path, "chiron", { manifest });
    expect(code).toBe(2);
    expect(report).toMatchObject({ files_seen: 2, files_converted: 1, reads_converted: 1 });
    expect(report?.skipped).toEqual([{ file: files[1], reason: "sha256 differs from the manifest" }]);
  });

  it("converter and runner run on Python 3.6 and later (vermin)", () => {
    const result = spawnSync(path.join(VENV, "bin", "vermin"), ["-t=3.6-", "--no-tips", "--violations", "images/converter/edgecall_converter", "images/runner/edgecall_runner"], { cwd: PROJECT, encoding: "utf8" });
    expect(result.status).toBe(0);
    const walrus = path.join(tmp, "walrus.py");
    fs.writeFileSync(walrus, "if (n := 1):\n    print(n)\n");
    expect(spawnSync(path.join(VENV, "bin", "vermin"), ["-t=3.6-", "--no-tips", "--violations", walrus], { encoding: "utf8" }).status).not.toBe(0);
  });
});
