/**
 * What a sweep needs of a Pulumi stack. The real one is the Automation API (automation-driver.ts);
 * the sweep's own unit tests drive a recording one, so that the order of saving, setting, updating
 * and journaling is checked without an engine.
 */
export interface StackDriver {
  /** The stack's value at a `--path` key, or undefined where it has none. */
  getConfig(key: string): Promise<string | undefined>;
  setConfig(key: string, value: string): Promise<void>;
  removeConfig(key: string): Promise<void>;
  /** `pulumi up`; `onOutput` gets its output as it comes, `signal` interrupts it as ^C does. */
  up(onOutput: (text: string) => void, signal: AbortSignal): Promise<void>;
  /** Every stack output, as `pulumi stack output --json` gives them. */
  outputs(): Promise<Record<string, unknown>>;
  /** Removes a lock a killed update left and drops its pending creates, so the next update can run. */
  recover(): Promise<void>;
}
