import * as path from "path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const PROJECT = path.resolve(__dirname, "../..");
const eslint = new ESLint({ cwd: PROJECT });

/** The rule ids ESLint reports for this text as if it were the file at `file` (nothing is written). */
async function ruleIds(file: string, text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath: path.join(PROJECT, file) });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe("the import floors (eslint.config.mjs): domain/ at the bottom, components/ and benchmarks/ on it, infra/ on top", () => {
  it.each([
    ["components/k3s/probe.ts", 'import type { StackConfig } from "../../infra/config";\nexport type P = StackConfig;\n'],
    ["components/k3s/probe.ts", 'import type { Summary } from "../../benchmarks/report/render";\nexport type P = Summary;\n'],
    ["benchmarks/report/probe.ts", 'import type { StackConfig } from "../../infra/config";\nexport type P = StackConfig;\n'],
    ["benchmarks/probe.ts", 'import type { ModelServiceArgs } from "../components/model-service";\nexport type P = ModelServiceArgs;\n'],
    ["domain/probe.ts", 'import type { Summary } from "../benchmarks/report/render";\nexport type P = Summary;\n'],
    ["domain/probe.ts", 'import type { StackConfig } from "../infra/config";\nexport type P = StackConfig;\n'],
  ])("fails %s importing upward: %s", async (file, text) => {
    expect(await ruleIds(file, text)).toContain("no-restricted-imports");
  });

  it.each([
    ["components/k3s/probe.ts", 'import type { ModelName } from "../../domain/models";\nexport type P = ModelName;\n'],
    ["benchmarks/probe.ts", 'import type { Summary } from "../domain/summary";\nexport type P = Summary;\n'],
    ["infra/probe.ts", 'import type { ModelServiceArgs } from "../components/model-service";\nexport type P = ModelServiceArgs;\n'],
  ])("lets %s import downward: %s", async (file, text) => {
    expect(await ruleIds(file, text)).toEqual([]);
  });
});
