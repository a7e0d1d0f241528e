import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { datasetId, stageDatasetStep } from "../../components/benchmark-run";
import { parseCheckOutput, parseStepOutput, stepScriptText } from "../../components/remote/remote-step";

/*
 * The dataset staging script run locally with bash, as the wrapper runs it on a board but with the
 * data root and staging root moved into a temporary directory. Downloads go through a stand-in
 * `curl` that serves files from a local directory and logs the URLs asked for.
 */

const files: Record<string, string> = {
  "reads/read_1.fast5": "signal one\n",
  "reads/read_2.fast5": "signal two\n",
  "lambda.fa": ">lambda\nACGT\n",
};
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const manifest = `file\tsha256\n${Object.entries(files).map(([f, c]) => `${f}\t${sha256(c)}\n`).join("")}`;
const id = datasetId(manifest);
const url = "https://data.example/set";

const fakeCurl = `#!/bin/sh
out="" url=""
while [ $# -gt 0 ]; do
  case $1 in
    -o) out=$2; shift 2 ;;
    --retry) shift 2 ;;
    -*) shift ;;
    *) url=$1; shift ;;
  esac
done
echo "$url" >>"$CURL_LOG"
cp "$CURL_SOURCE/\${url#${url}/}" "$out"
`;

describe("dataset staging script", () => {
  let tmp: string;
  let dataRoot: string;
  let staging: string;
  let source: string;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-stage-"));
    dataRoot = path.join(tmp, "edgecall-data");
    staging = path.join(tmp, `edgecall-staging-${id.slice(0, 16)}`);
    source = path.join(tmp, "source");
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(source, file)), { recursive: true });
      fs.writeFileSync(path.join(source, file), content);
    }
    fs.mkdirSync(path.join(tmp, "bin"));
    fs.writeFileSync(path.join(tmp, "bin", "curl"), fakeCurl, { mode: 0o755 });
  });

  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** What edgecall's provider copies for root before the step: the manifest, and the files under data/. */
  function copyToStaging(): void {
    fs.mkdirSync(staging, { recursive: true });
    fs.writeFileSync(path.join(staging, "manifest.tsv"), manifest);
    fs.cpSync(source, path.join(staging, "data"), { recursive: true });
  }

  function run(action: "apply" | "delete" | "check", kind: "path" | "url" = "path") {
    const step = stageDatasetStep(id, kind === "path" ? { kind, dir: "/home/me/source" } : { kind, url });
    const env: Record<string, string> = {
      ...step.env,
      // Node gives children a socket as stdin, which bash takes for sshd and reads ~/.bashrc: keep it empty.
      HOME: tmp,
      PATH: `${path.join(tmp, "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      EDGECALL_STEP: step.name,
      EDGECALL_ACTION: action,
      EDGECALL_DATA_ROOT: dataRoot,
      EDGECALL_STAGING_ROOT: tmp,
      EDGECALL_STAGING_DIR: staging,
      CURL_LOG: path.join(tmp, "curl.log"),
      CURL_SOURCE: source,
    };
    const result = spawnSync("bash", ["-c", stepScriptText(step.scriptPath), `edgecall-${step.name}`, action], { env, encoding: "utf8" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  const staged = (file: string) => path.join(dataRoot, id, file);

  it("copies and checks every manifest file, removes the staging copy, and changes nothing the second time", () => {
    copyToStaging();
    const first = run("apply");
    expect(first.stderr).toBe("");
    expect(parseStepOutput(first.stdout).changed).toBe(true);
    for (const [file, content] of Object.entries(files)) expect(fs.readFileSync(staged(file), "utf8")).toBe(content);
    expect(fs.statSync(staged("lambda.fa")).mode & 0o777).toBe(0o644);
    expect(fs.statSync(path.join(dataRoot, id)).mode & 0o777).toBe(0o755);
    expect(fs.existsSync(staging)).toBe(false);
    expect(fs.readdirSync(dataRoot).sort()).toEqual([id, "runs"].sort());
    expect(fs.statSync(path.join(dataRoot, "runs")).mode & 0o7777).toBe(0o1777);

    const second = run("apply");
    expect(second.status).toBe(0);
    expect(parseStepOutput(second.stdout).changed).toBe(false);
  });

  it("checks the staged files without touching them: in sync, then drifted once one is changed", () => {
    expect(parseCheckOutput(run("check").stdout).inSync).toBe(false);
    copyToStaging();
    run("apply");
    expect(parseCheckOutput(run("check").stdout).inSync).toBe(true);
    fs.writeFileSync(staged("lambda.fa"), "edited by hand\n");
    const check = run("check");
    expect(check.status).toBe(0);
    expect(parseCheckOutput(check.stdout).inSync).toBe(false);
    expect(fs.readFileSync(staged("lambda.fa"), "utf8")).toBe("edited by hand\n");
    expect(fs.existsSync(staging)).toBe(false);
  });

  it("fails with the name of a file whose content does not match, and stages nothing", () => {
    copyToStaging();
    fs.writeFileSync(path.join(staging, "data", "reads", "read_2.fast5"), "tampered\n");
    const result = run("apply");
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim()).toMatch(/dataset: dataset file reads\/read_2\.fast5 does not match its sha256 in the manifest/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(fs.existsSync(path.join(dataRoot, id))).toBe(false);
    expect(fs.readdirSync(dataRoot)).toEqual([]);
  });

  it("names a manifest file missing from the dataset directory", () => {
    copyToStaging();
    fs.rmSync(path.join(staging, "data", "lambda.fa"));
    const result = run("apply");
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/dataset file lambda\.fa is listed in the manifest but missing from benchmark\.dataset\.path/);
  });

  it("restages a dataset whose staged copy was changed on the board", () => {
    copyToStaging();
    run("apply");
    fs.writeFileSync(staged("reads/read_1.fast5"), "corrupted\n");
    const result = run("apply");
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/copied there just before this step runs, so run 'pulumi up' again/);
    copyToStaging();
    const again = run("apply");
    expect(parseStepOutput(again.stdout).changed).toBe(true);
    expect(fs.readFileSync(staged("reads/read_1.fast5"), "utf8")).toBe(files["reads/read_1.fast5"]);
  });

  it("downloads every manifest file from the base URL", () => {
    fs.mkdirSync(staging);
    fs.writeFileSync(path.join(staging, "manifest.tsv"), manifest);
    const result = run("apply", "url");
    expect(result.stderr).toBe("");
    expect(parseStepOutput(result.stdout).changed).toBe(true);
    expect(fs.readFileSync(path.join(tmp, "curl.log"), "utf8").trim().split("\n").sort()).toEqual(Object.keys(files).map((f) => `${url}/${f}`).sort());
    expect(fs.readFileSync(staged("reads/read_1.fast5"), "utf8")).toBe(files["reads/read_1.fast5"]);
  });

  it("refuses a manifest that is not the one the dataset id names", () => {
    copyToStaging();
    fs.appendFileSync(path.join(staging, "manifest.tsv"), `extra.fast5\t${sha256("x")}\n`);
    const result = run("apply");
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(new RegExp(`manifest at .*manifest\\.tsv has sha256 [0-9a-f]{64}, expected ${id}`));
  });

  it("removes the dataset and the data root on delete, then has nothing to do", () => {
    copyToStaging();
    run("apply");
    const removed = run("delete");
    expect(parseStepOutput(removed.stdout).changed).toBe(true);
    expect(fs.existsSync(dataRoot)).toBe(false);
    expect(parseStepOutput(run("delete").stdout).changed).toBe(false);
  });
});
