import { beforeAll, describe } from "vitest";
import { StackRun, runStackUnderMocks } from "./helpers/stack-graph";
import { stackGraphTests } from "./stack-assertions";
import { workloadTests } from "./workload-assertions";

describe("stack sim under Pulumi mocks", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runStackUnderMocks("sim");
  });
  stackGraphTests("sim", () => run, 3);
  workloadTests("sim", () => run);
});
