import { parseArgs } from "util";
import { CliError } from "./cli-error";

type OptionSpec = { type: "string" | "boolean"; multiple?: boolean };

/** Parses a command's options strictly; an unknown option or a missing value is a CliError. */
export function parseOptions<T extends Record<string, OptionSpec>>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}

/** The value of a required string option, or a CliError naming it. */
export function requireOption(value: string | undefined, flag: string): string {
  if (value === undefined || value === "") throw new CliError(`${flag} is required`);
  return value;
}
