import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import type { StackDriver } from "./stack-driver";

/** A config key the stack does not have: Pulumi says so in its error, which is not worth a failure here. */
function isMissingKey(error: unknown): boolean {
  return /not found|missing/i.test(error instanceof Error ? error.message : String(error));
}

/**
 * The stack as Pulumi's Automation API drives it: the `pulumi` CLI on PATH, in the project's
 * directory, with the backend and passphrase of the environment (PULUMI_BACKEND_URL,
 * PULUMI_CONFIG_PASSPHRASE), as `pulumi up` typed in that directory would have them.
 */
export class AutomationDriver implements StackDriver {
  private constructor(private readonly stack: Stack) {}

  static async open(projectDir: string, stackName: string): Promise<AutomationDriver> {
    const workspace = await LocalWorkspace.create({ workDir: projectDir });
    return new AutomationDriver(await Stack.select(stackName, workspace));
  }

  async getConfig(key: string): Promise<string | undefined> {
    try {
      return (await this.stack.getConfig(key, true)).value;
    } catch (error) {
      if (isMissingKey(error)) return undefined;
      throw error;
    }
  }

  async setConfig(key: string, value: string): Promise<void> {
    await this.stack.setConfig(key, { value }, true);
  }

  async removeConfig(key: string): Promise<void> {
    try {
      await this.stack.removeConfig(key, true);
    } catch (error) {
      if (!isMissingKey(error)) throw error;
    }
  }

  async up(onOutput: (text: string) => void, signal: AbortSignal): Promise<void> {
    await this.stack.up({ onOutput, signal, color: "never" });
  }

  async outputs(): Promise<Record<string, unknown>> {
    const outputs = await this.stack.outputs();
    // A secret output (none of edgecall's measured ones) is named, never written to the experiment.
    return Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output.secret ? "[secret]" : output.value as unknown]));
  }

  async recover(): Promise<void> {
    try {
      await this.stack.cancel();
    } catch (error) {
      // No update in progress and no lock: nothing to cancel.
      if (!/no (stack )?update|not currently|no update|isn't|is not locked/i.test(error instanceof Error ? error.message : String(error))) throw error;
    }
    await this.stack.refresh({ clearPendingCreates: true, color: "never" });
  }
}
