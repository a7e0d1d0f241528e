import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { MODELS } from "../../domain/models";
import { PROJECT, VENV, venvMissing } from "./helpers/runner-env";

const missing = venvMissing("python");
const SCRIPT = path.join(PROJECT, "images", "runner", "clone_weights.py");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-clone-weights-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const sha256 = (bytes: string | Buffer) => createHash("sha256").update(bytes).digest("hex");
const git = (cwd: string, ...args: string[]) => spawnSync("git", args, { cwd, encoding: "utf8" }).stdout.trim();

/** A clone with one weights file and a checkpoint directory, committed as upstream would have them. */
function clone(name: string): { dir: string; pins: Record<string, unknown>; blob: (file: string) => string } {
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, "ckpt"), { recursive: true });
  fs.writeFileSync(path.join(dir, "model.chkpt"), "weights\n");
  fs.writeFileSync(path.join(dir, "ckpt", "a.index"), "index\n");
  fs.writeFileSync(path.join(dir, "ckpt", "b.data"), "data\n");
  git(dir, "init", "--quiet");
  const blob = (file: string) => git(dir, "hash-object", file);
  const pins = {
    commit: "0".repeat(40),
    weights: ["model.chkpt", "ckpt"],
    files: {
      "model.chkpt": { git_blob: blob("model.chkpt"), size: null, sha256: null },
      "ckpt/a.index": { git_blob: blob("ckpt/a.index"), size: 6, sha256: sha256("index\n") },
      "ckpt/b.data": { git_blob: blob("ckpt/b.data"), size: null, sha256: null },
    },
  };
  return { dir, pins, blob };
}

function check(dir: string, pins: unknown) {
  const file = path.join(dir, "..", `${path.basename(dir)}.model.json`);
  fs.writeFileSync(file, JSON.stringify(pins));
  return { ...spawnSync(path.join(VENV, "bin", "python"), [SCRIPT, file, dir], { encoding: "utf8" }), file };
}

describe.skipIf(missing !== undefined)("images/runner/clone_weights.py, the image build's check of the clone's weights", () => {
  it("passes a clone whose files have the pinned blob ids and writes the runner's sha256 beside each weights entry", () => {
    const { dir, pins } = clone("good");
    const result = check(dir, pins);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, "model.chkpt.sha256"), "utf8")).toBe(`${sha256("weights\n")}  model.chkpt\n`);
    // A checkpoint directory: its files in name order, as edgecall_runner.weights hashes it.
    expect(fs.readFileSync(path.join(dir, "ckpt.sha256"), "utf8")).toBe(`${sha256("index\ndata\n")}  ckpt\n`);
  });

  it("fails the build naming the file, both blob ids and the pins file when a weights file changed", () => {
    const { dir, pins, blob } = clone("changed");
    fs.writeFileSync(path.join(dir, "model.chkpt"), "other weights\n");
    const result = check(dir, pins);
    expect(result.status).toBe(1);
    const pinned = (pins.files as Record<string, { git_blob: string }>)["model.chkpt"].git_blob;
    expect(result.stderr).toBe(`weights check: model.chkpt: git blob ${blob("model.chkpt")} is not the pinned ${pinned} (${result.file}, upstream commit ${"0".repeat(40)})\n`);
    expect(fs.existsSync(path.join(dir, "model.chkpt.sha256"))).toBe(false);
  });

  it("refuses a file in a checkpoint directory that no pin covers, and a pinned file the clone lacks", () => {
    const { dir, pins } = clone("extra");
    fs.writeFileSync(path.join(dir, "ckpt", "c.meta"), "meta\n");
    fs.rmSync(path.join(dir, "model.chkpt"));
    const result = check(dir, pins);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("weights check: ckpt/c.meta: in the weights ckpt but not pinned in");
    expect(result.stderr).toContain("weights check: model.chkpt: not in the clone");
  });

  it.each(MODELS)("images/%s/model.json pins a commit, and every weights entry by its blob id", (model) => {
    const pins = JSON.parse(fs.readFileSync(path.join(PROJECT, "images", model, "model.json"), "utf8")) as {
      model: string;
      commit: string;
      weights: string[];
      files: Record<string, { git_blob: string; size: number | null; sha256: string | null }>;
    };
    expect(pins.model).toBe(model);
    expect(pins.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(pins.weights.length).toBeGreaterThan(0);
    for (const [file, pin] of Object.entries(pins.files)) {
      expect(pin.git_blob, file).toMatch(/^[0-9a-f]{40}$/);
      if (pin.sha256 !== null) expect(pin.sha256, file).toMatch(/^[0-9a-f]{64}$/);
      expect(pins.weights.some((entry) => file === entry || file.startsWith(`${entry}/`)), file).toBe(true);
    }
  });

  it("the model template checks the clone against the model's model.json with the runner's digest beside the script", () => {
    const dockerfile = fs.readFileSync(path.join(PROJECT, "images", "model", "Dockerfile"), "utf8");
    expect(dockerfile).toContain("COPY runner/clone_weights.py runner/fetch-weights.sh /opt/edgecall/pins/\n");
    expect(dockerfile).toContain("COPY runner/edgecall_runner/__init__.py runner/edgecall_runner/digest.py /opt/edgecall/pins/edgecall_runner/\n");
    expect(dockerfile).toContain("COPY ${MODEL}/ /opt/edgecall/model/\n");
    expect(dockerfile).toContain("python3 /opt/edgecall/pins/clone_weights.py /opt/edgecall/model/model.json /opt/upstream");
  });
});

/** images/runner/fetch-weights.sh, the Dockerfiles' WEIGHTS_URL step, with a `curl` on PATH that serves fixed bytes. */
function urlStep(model: string, url: string, digest: string, served: string) {
  const root = fs.mkdtempSync(path.join(tmp, "url-"));
  fs.mkdirSync(path.join(root, "bin"));
  const servedFile = path.join(root, "served");
  fs.writeFileSync(servedFile, served);
  // The stub copies the served bytes to --output; everything else about curl is upstream's.
  fs.writeFileSync(path.join(root, "bin", "curl"), `#!/bin/bash\nwhile [ $# -gt 0 ]; do if [ "$1" = --output ]; then cp ${servedFile} "$2"; fi; shift; done\n`, { mode: 0o755 });
  return spawnSync("bash", [path.join(PROJECT, "images/runner/fetch-weights.sh"), model], {
    encoding: "utf8",
    env: { ...process.env, PATH: `${path.join(root, "bin")}:${process.env.PATH ?? ""}`, WEIGHTS_URL: url, WEIGHTS_SHA256: digest, EDGECALL_WEIGHTS_DIR: path.join(root, "weights") },
  });
}

describe("the model image's WEIGHTS_URL step (images.models.<model>.weights.url)", () => {
  it.each(["rodan", "sacall", "catcaller"])("%s: keeps weights with the pinned sha256 and fails the build on any other", (model) => {
    const good = urlStep(model, "https://weights.lab/m.pt", sha256("w\n"), "w\n");
    expect(good.stderr).toBe("");
    expect(good.status).toBe(0);
    const bad = urlStep(model, "https://weights.lab/m.pt", "0".repeat(64), "w\n");
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain(`weights from https://weights.lab/m.pt: sha256 ${sha256("w\n")} is not the pinned ${"0".repeat(64)} (images.models.${model}.weights.sha256)`);
  });

  it("the model template runs the step after the WEIGHTS_ ARGs", () => {
    const dockerfile = fs.readFileSync(path.join(PROJECT, "images", "model", "Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/ARG WEIGHTS_URL=""\nARG WEIGHTS_SHA256=""\nRUN \/opt\/edgecall\/pins\/fetch-weights.sh "\$\{MODEL\}"/);
  });

  it("does nothing without WEIGHTS_URL", () => {
    expect(urlStep("rodan", "", "", "").status).toBe(0);
  });
});
