#!/usr/bin/env node
/**
 * `edgecall`: the benchmarks CLI. Data goes to stdout, messages to stderr; on bad input it exits
 * non-zero with one line naming the problem. Each command lives in `commands/<name>.ts` and is
 * loaded only when called, so a laptop without PostgreSQL drivers can still run `evaluate`.
 */

/** A command's entry point: its arguments after the command name; resolves to the exit code. */
export type CommandMain = (argv: string[]) => Promise<number>;

/** A command module: its entry point and its usage, printed for `edgecall <command> --help`. */
interface CommandModule {
  main: CommandMain;
  usage: string;
}

const commands: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  evaluate: { summary: "accuracy of basecalls against a reference (minimap2)", load: () => import("./commands/evaluate") },
  telemetry: { summary: "parse, record or export (Prometheus) tegrastats / power-meter telemetry", load: () => import("./commands/telemetry") },
  energy: { summary: "energy over a time window from telemetry", load: () => import("./commands/energy") },
  summarize: { summary: "one run directory into summary.json", load: () => import("./commands/summarize") },
  report: { summary: "HTML and Markdown report from summaries", load: () => import("./commands/report") },
  db: { summary: "metrics store schema and upload (PostgreSQL)", load: () => import("./commands/db") },
  loadgen: { summary: "load a model service and report latency and throughput", load: () => import("./commands/loadgen") },
  sweep: { summary: "run an experiment: a grid of settings on a stack, point by point, resumable", load: () => import("./commands/sweep") },
};

/** Whether the arguments ask for help; words after `--` are operands, never options. */
function asksForHelp(args: string[]): boolean {
  const options = args.includes("--") ? args.slice(0, args.indexOf("--")) : args;
  return options.includes("--help") || options.includes("-h");
}

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: edgecall <command> [options]\n\ncommands:\n${lines.join("\n")}\n`;
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`edgecall: unknown command ${JSON.stringify(name)}; run 'edgecall --help'\n`);
    return 2;
  }
  const { main, usage: commandUsage } = await command.load();
  if (asksForHelp(rest)) {
    process.stdout.write(commandUsage);
    return 0;
  }
  return main(rest);
}

/** Runs the CLI on `argv` and sets the process's exit code; an error escaping a command is one line. */
export function runCliAsProcess(argv: string[]): Promise<void> {
  return runCli(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`edgecall: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) void runCliAsProcess(process.argv.slice(2));
