import { parseOptions, requireOption } from "../common/args";
import { CliError, runCommand } from "../common/cli-error";
import { maskUrl } from "../../domain/mask-url";
import { DEFAULT_TIMEOUT_S, connect } from "../db/connection";
import { parseDatabaseUrl } from "../db/database-url";
import { migrate } from "../db/migrate";
import { loadRun, pushRun } from "../db/push";

export const usage = [
  "usage: edgecall db migrate --url postgres://... [--timeout-s S] [--json]",
  "       edgecall db push --url postgres://... [--timeout-s S] [--json] SUMMARY_OR_RUN_DIR...",
  "",
  `--url may come from EDGECALL_DB_URL; its password is never printed. --timeout-s (default ${DEFAULT_TIMEOUT_S})`,
  "limits the wait for the connection and for each statement.",
  "",
].join("\n");

function timeoutSeconds(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_S;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) throw new CliError(`--timeout-s must be a positive number of seconds, got ${value}`);
  return n;
}

/** `edgecall db migrate|push --url postgres://...` (the URL may also come from EDGECALL_DB_URL). */
export function main(argv: string[]): Promise<number> {
  return runCommand("db", async () => {
    const [sub, ...rest] = argv;
    if (sub !== "migrate" && sub !== "push") throw new CliError(usage.split("\n\n")[0]);
    const { values, positionals } = parseOptions(rest, { url: { type: "string" }, "timeout-s": { type: "string" }, json: { type: "boolean" } }, sub === "push");
    const json = values.json === true;
    const url = requireOption(values.url ?? process.env.EDGECALL_DB_URL, "--url");
    const timeoutS = timeoutSeconds(values["timeout-s"]);
    // A mistyped URL is reported before the inputs are read, however many there are.
    parseDatabaseUrl(url);
    // Read every input before touching the database, so a bad file changes nothing.
    const runs = sub === "push" ? positionals.map(loadRun) : [];
    if (sub === "push" && runs.length === 0) throw new CliError(usage.split("\n\n")[0]);
    const db = await connect(url, timeoutS);
    try {
      if (sub === "migrate") {
        const applied = await migrate(db.client);
        if (json) process.stdout.write(`${JSON.stringify({ applied }, null, 2)}\n`);
        else process.stdout.write(applied.length === 0 ? `${maskUrl(url)}: up to date\n` : applied.map((m) => `applied ${m}\n`).join(""));
      } else {
        const pushed = [];
        for (const run of runs) {
          const id = await pushRun(db.client, run.summary, run.samples);
          pushed.push({ source: run.source, id, model: run.summary.model, run_id: run.summary.run_id, repeat: run.summary.repeat, samples: run.samples.length });
          if (!json) process.stdout.write(`${run.source}: run ${id} (${run.summary.model} ${run.summary.run_id} #${run.summary.repeat}), ${run.samples.length} samples\n`);
        }
        if (json) process.stdout.write(`${JSON.stringify({ pushed }, null, 2)}\n`);
      }
    } catch (error) {
      throw db.explain(error);
    } finally {
      await db.close();
    }
    return 0;
  });
}
