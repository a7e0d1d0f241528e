import { parseOptions, requireOption } from "../common/args";
import { CliError, runCommand } from "../common/cli-error";
import { connect, redactUrl } from "../db/connection";
import { migrate } from "../db/migrate";
import { loadRun, pushRun } from "../db/push";

const USAGE = "usage: edgecall db migrate --url postgres://... [--json]\n       edgecall db push --url postgres://... [--json] SUMMARY_OR_RUN_DIR...";

/** `edgecall db migrate|push --url postgres://...` (the URL may also come from EDGECALL_DB_URL). */
export function main(argv: string[]): Promise<number> {
  return runCommand("db", async () => {
    const [sub, ...rest] = argv;
    if (sub !== "migrate" && sub !== "push") throw new CliError(USAGE);
    const { values, positionals } = parseOptions(rest, { url: { type: "string" }, json: { type: "boolean" } }, sub === "push");
    const json = values.json === true;
    const url = requireOption(values.url ?? process.env.EDGECALL_DB_URL, "--url");
    // Read every input before touching the database, so a bad file changes nothing.
    const runs = sub === "push" ? positionals.map(loadRun) : [];
    if (sub === "push" && runs.length === 0) throw new CliError(USAGE);
    const client = await connect(url);
    try {
      if (sub === "migrate") {
        const applied = await migrate(client);
        if (json) process.stdout.write(`${JSON.stringify({ applied }, null, 2)}\n`);
        else process.stdout.write(applied.length === 0 ? `${redactUrl(url)}: up to date\n` : applied.map((m) => `applied ${m}\n`).join(""));
      } else {
        const pushed = [];
        for (const run of runs) {
          const id = await pushRun(client, run.summary, run.samples);
          pushed.push({ source: run.source, id, model: run.summary.model, run_id: run.summary.run_id, repeat: run.summary.repeat, samples: run.samples.length });
          if (!json) process.stdout.write(`${run.source}: run ${id} (${run.summary.model} ${run.summary.run_id} #${run.summary.repeat}), ${run.samples.length} samples\n`);
        }
        if (json) process.stdout.write(`${JSON.stringify({ pushed }, null, 2)}\n`);
      }
    } catch (error) {
      if (error instanceof CliError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new CliError(`${redactUrl(url)}: ${message}${/relation "runs" does not exist/.test(message) ? " (run 'edgecall db migrate' first)" : ""}`);
    } finally {
      await client.end();
    }
    return 0;
  });
}
