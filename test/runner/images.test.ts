import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";

const PROJECT = path.resolve(__dirname, "../..");
const HADOLINT = path.join(PROJECT, ".venv-runner", "bin", "hadolint");
const missing = fs.existsSync(HADOLINT) ? undefined : `${HADOLINT} (run test/setup/install-runner-tier.sh)`;
if (missing !== undefined && process.env.CI === "true") throw new Error(`the runner tier needs ${missing}`);
const MODELS = ["catcaller", "chiron", "rodan", "sacall"];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-images-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const dockerfile = (model: string) => fs.readFileSync(path.join(PROJECT, "images", model, "Dockerfile"), "utf8");
const argDefault = (text: string, name: string) => new RegExp(`^ARG ${name}=(\\S+)$`, "m").exec(text)?.[1];

describe("model images", () => {
  it.skipIf(missing !== undefined).each(MODELS)("images/%s/Dockerfile passes hadolint", (model) => {
    const result = spawnSync(HADOLINT, ["--no-color", path.join(PROJECT, "images", model, "Dockerfile")], { encoding: "utf8" });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it.skipIf(missing !== undefined)("hadolint does fail a Dockerfile with faults", () => {
    const bad = path.join(tmp, "Dockerfile");
    fs.writeFileSync(bad, "FROM ubuntu\nRUN apt-get install curl\n");
    expect(spawnSync(HADOLINT, ["--no-color", bad], { encoding: "utf8" }).status).not.toBe(0);
  });

  it.each(MODELS)("images/%s/Dockerfile pins a commit, defaults to the JetPack 4 base of bases.json and runs the runner unprivileged", (model) => {
    const text = dockerfile(model);
    const bases = JSON.parse(fs.readFileSync(path.join(PROJECT, "images", "bases.json"), "utf8")) as Record<string, Record<string, string | null>>;
    expect(Object.keys(bases).sort()).toEqual(MODELS);
    expect(Object.keys(bases[model]).sort()).toEqual(["R32", "R35", "R36"]);
    expect(argDefault(text, "L4T_BASE")).toBe(bases[model].R32);
    expect(argDefault(text, "UPSTREAM_COMMIT")).toMatch(/^[0-9a-f]{40}$/);
    expect(text).toMatch(/checkout --quiet --detach "\$\{UPSTREAM_COMMIT\}"/);
    expect(text).toContain(`EDGECALL_MODEL=${model}`);
    expect(text).toMatch(/^USER 10001$/m);
    expect(text).toMatch(/^ENTRYPOINT \["edgecall-runner"\]$/m);
  });
});
