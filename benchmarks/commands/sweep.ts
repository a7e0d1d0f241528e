import * as path from "path";
import { parseOptions } from "../common/args";
import { CliError, runCommand } from "../common/cli-error";
import { assertReadableFile, readTextFile } from "../common/read-text-file";
import { ExperimentDir } from "../sweep/experiment-dir";
import { parseExperiment } from "../sweep/experiment";
import { runSweep } from "../sweep/run-sweep";
import type { StackDriver } from "../sweep/stack-driver";

export const usage =
  "usage: edgecall sweep EXPERIMENT.yaml [--dir DIR] [--project DIR] [--recover] [--restore-only]\n" +
  "  runs every point of the experiment's grid on its stack (pulumi up per point), resumable;\n" +
  "  --dir (default experiments/<name>) keeps the journal and each point's outputs; --project is the\n" +
  "  Pulumi project (default: this directory); --recover first removes a killed update's lock;\n" +
  "  --restore-only puts the stack's own config back and applies it. Then: edgecall report DIR --out OUT\n";

/** The Automation API driver, loaded only here: the tools image's CLI has no Pulumi SDK. */
async function openStack(projectDir: string, stack: string): Promise<StackDriver> {
  let automation: typeof import("../sweep/automation-driver");
  try {
    automation = await import("../sweep/automation-driver");
  } catch (error) {
    throw new CliError(`sweep needs the Pulumi SDK (@pulumi/pulumi), which this installation lacks (${(error as Error).message.split("\n")[0]}); run it from a checkout after npm ci`);
  }
  try {
    return await automation.AutomationDriver.open(projectDir, stack);
  } catch (error) {
    const why = (error instanceof Error ? error.message : String(error)).split("\n").find((l) => /error/i.test(l)) ?? String(error).split("\n")[0];
    throw new CliError(`stack ${stack} in ${projectDir}: cannot select it (${why.trim()}); check the stack name, PULUMI_BACKEND_URL and PULUMI_CONFIG_PASSPHRASE`);
  }
}

/** `edgecall sweep`: the experiment's grid, point after point, then the stack's own config back. */
export function main(argv: string[]): Promise<number> {
  return runCommand("sweep", async () => {
    const { values, positionals } = parseOptions(
      argv,
      { dir: { type: "string" }, project: { type: "string" }, recover: { type: "boolean" }, "restore-only": { type: "boolean" } },
      true,
    );
    const file = positionals[0];
    if (file === undefined || positionals.length > 1) throw new CliError(usage.split("\n")[0]);
    assertReadableFile(file, "an experiment file (YAML)");
    const text = readTextFile(file, "an experiment file (YAML)");
    const experiment = parseExperiment(text, file);
    const projectDir = path.resolve(values.project ?? ".");
    assertReadableFile(path.join(projectDir, "Pulumi.yaml"), "the Pulumi project's Pulumi.yaml (--project)", "--project");
    const dir = new ExperimentDir(path.resolve(values.dir ?? path.join("experiments", experiment.experiment)));
    const driver = await openStack(projectDir, experiment.stack);

    // The first ^C stops after the current update (which pulumi, sent the same ^C by the terminal,
    // cancels cleanly) and the config is put back; a second one ends at once.
    let stop = false;
    const onSigint = () => {
      if (stop) {
        process.stderr.write(`edgecall sweep: stopped at once; the stack may hold a point's config: run the sweep again (--recover if pulumi was killed), or with --restore-only\n`);
        process.exit(130);
      }
      stop = true;
      process.stderr.write("edgecall sweep: stopping after the current update, then putting the stack's own config back (^C again to stop at once)\n");
    };
    process.on("SIGINT", onSigint);
    try {
      const outcome = await runSweep({
        experiment,
        experimentText: text,
        experimentFile: file,
        dir,
        driver,
        recover: values.recover === true,
        restoreOnly: values["restore-only"] === true,
        stopRequested: () => stop,
        log: (line) => process.stderr.write(`edgecall sweep: ${line}\n`),
      });
      const failed = outcome.failed.map((f) => `${f.point} (${f.error})`).join(", ");
      process.stdout.write(
        `${dir.dir}: ${outcome.measured.length} point(s) measured now, ${outcome.skipped.length} before, ${outcome.failed.length} failed${failed === "" ? "" : `: ${failed}`}; ` +
          `the stack's own config is back${outcome.stopped ? "; stopped early: run the sweep again to measure the rest" : ""}\n`,
      );
      return outcome.failed.length > 0 || outcome.stopped ? 1 : 0;
    } finally {
      process.off("SIGINT", onSigint);
    }
  });
}
