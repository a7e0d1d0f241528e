import * as fs from "fs";
import * as path from "path";

/** The shared fixtures (`../shared/fixtures`, or `$EDGECALL_FIXTURES`). */
export const FIXTURES = process.env.EDGECALL_FIXTURES ?? path.resolve(__dirname, "../../../shared/fixtures");

/**
 * A fixture's path. With CI=true a missing fixture fails the run; elsewhere the caller skips, and
 * the reason names the path.
 */
export function fixture(relative: string): { path: string; missing?: string } {
  const file = path.join(FIXTURES, relative);
  if (fs.existsSync(file)) return { path: file };
  if (process.env.CI === "true") throw new Error(`fixture ${file} is missing (set EDGECALL_FIXTURES or provide ../shared/fixtures)`);
  const missing = `fixture ${file} is missing`;
  console.warn(`skipped: ${missing}`);
  return { path: file, missing };
}
