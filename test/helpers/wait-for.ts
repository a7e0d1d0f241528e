/**
 * Polls `check` every `intervalMs` until it holds, failing after `seconds` with what it waited for.
 * A bounded wait for something another process does, not a timing assertion.
 */
export async function waitFor(what: string, seconds: number, check: () => boolean | Promise<boolean>, intervalMs = 2000): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds}s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
