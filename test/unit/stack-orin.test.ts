import { beforeAll, describe } from "vitest";
import { StackRun, runStackUnderMocks } from "./helpers/stack-graph";
import { stackGraphTests } from "./stack-assertions";
import { workloadTests } from "./workload-assertions";

describe("stack orin under Pulumi mocks", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runStackUnderMocks("orin");
  });
  stackGraphTests("orin", () => run, 0);
  workloadTests("orin", () => run);
});
