/**
 * `npm run validate -- stacks/Pulumi.<stack>.yaml`: checks a stack's config without Pulumi.
 * Exit 0 with one line per node and two on images and services when valid; exit 1 with one line per
 * bad field otherwise.
 */
import type { ConfigProblem } from "./config";
import { WHOLE_FILE, describeNodes, describeWorkloads, validateStackFile } from "./stack-file";
import { maskUrlsIn } from "../domain/mask-url";

/** One line per problem, `file:line:col: reason` where it has a position, with its excerpt (if any) indented below. */
function problemLines(file: string, problem: ConfigProblem): string {
  const where = problem.position !== undefined ? `${file}:${problem.position.line}:${problem.position.col}` : problem.path === WHOLE_FILE ? file : `${file}: ${problem.path}`;
  const head = `${where}: ${problem.message}`;
  // A URL a user wrote (a weights URL, say) may carry a user, password or token: never shown.
  return maskUrlsIn([head, ...(problem.excerpt ?? []).map((line) => `    ${line}`)].join("\n") + "\n");
}

function main(argv: string[]): number {
  if (argv.length === 0) {
    process.stderr.write("usage: npm run validate -- stacks/Pulumi.<stack>.yaml [...]\n");
    return 2;
  }
  let failed = false;
  for (const file of argv) {
    const result = validateStackFile(file);
    if (result.ok) {
      const lines = [...describeNodes(result.config), ...describeWorkloads(result.config)];
      process.stdout.write(`${file}: valid\n${lines.map((line) => `  ${line}\n`).join("")}`);
    } else {
      failed = true;
      for (const problem of result.problems) process.stderr.write(problemLines(file, problem));
    }
  }
  return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
