/**
 * For a test that needs something this machine may lack (root, a tool, a package): outside CI it
 * is skipped, its title saying what it needs; with CI=true it runs and fails naming what is missing,
 * so that a tier run on its own cannot pass by skipping.
 */
export function skipOutsideCi(missing: string | undefined): boolean {
  return missing !== undefined && process.env.CI !== "true";
}

/** The first line of such a test: fails it, naming what is missing, where CI ran it regardless. */
export function requirePresent(missing: string | undefined): void {
  if (missing !== undefined) throw new Error(`this test needs ${missing}; CI=true does not let it skip`);
}
