import * as fs from "fs";
import * as path from "path";
import { runProgram } from "../../helpers/run-program";
import { PROJECT } from "../../runner/helpers/runner-env";

/** The models tier's environment (test/setup/install-models-tier.sh): Debian's CPU PyTorch and the runner. */
export const MODELS_VENV = path.join(PROJECT, ".venv-models");
/** The upstream trees at the pinned commits (`../shared/upstream`, or `$EDGECALL_UPSTREAM_SRC`). */
export const UPSTREAM_SRC = process.env.EDGECALL_UPSTREAM_SRC ?? path.resolve(PROJECT, "../shared/upstream");

/** What keeps the tier from running, or undefined; with CI=true a missing piece fails the run instead. */
export function modelsTierMissing(): string | undefined {
  const needed = [
    [path.join(MODELS_VENV, "bin", "edgecall-runner"), "run test/setup/install-models-tier.sh"],
    [UPSTREAM_SRC, "set EDGECALL_UPSTREAM_SRC or provide ../shared/upstream"],
  ];
  for (const [file, remedy] of needed) {
    if (fs.existsSync(file)) continue;
    const missing = `${file} is missing (${remedy})`;
    if (process.env.CI === "true") throw new Error(`the models tier needs ${missing}`);
    console.warn(`skipped: ${missing}`);
    return missing;
  }
  return undefined;
}

/** The commit an image pins (`commit` in images/<model>/model.json). */
export function pinnedCommit(model: string): string {
  const file = path.join(PROJECT, "images", model, "model.json");
  const match = /^([0-9a-f]{40})$/.exec((JSON.parse(fs.readFileSync(file, "utf8")) as { commit?: string }).commit ?? "");
  if (!match) throw new Error(`${file}: no commit of 40 hex digits`);
  return match[1];
}

/** Unpacks the model's upstream tree (the archive named after its pinned commit) under `into`; its path. */
export async function unpackUpstream(model: string, into: string): Promise<string> {
  const archive = path.join(UPSTREAM_SRC, `${model}-${pinnedCommit(model).slice(0, 7)}.tar.gz`);
  if (!fs.existsSync(archive)) throw new Error(`${archive}: not found; the upstream archive must match the commit images/${model}/model.json pins`);
  const dir = path.join(into, `${model}-upstream`);
  fs.mkdirSync(dir, { recursive: true });
  const result = await runProgram("tar", ["-xzf", archive, "-C", dir]);
  if (result.status !== 0) throw new Error(`tar -xzf ${archive}: ${result.stderr}`);
  return dir;
}

/** Builds the model's upstream network with random parameters and saves it as upstream's training does. */
export async function randomCheckpoint(model: string, upstream: string, file: string): Promise<void> {
  const script = path.join(PROJECT, "test/models/python/make_checkpoint.py");
  const result = await runProgram(path.join(MODELS_VENV, "bin", "python"), [script, model, upstream, file], { timeoutMs: 120_000 });
  if (result.status !== 0) throw new Error(`make_checkpoint.py ${model}: ${result.stderr}`);
}
