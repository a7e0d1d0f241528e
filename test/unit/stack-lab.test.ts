import { beforeAll, describe } from "vitest";
import { StackRun, runStackUnderMocks } from "./helpers/stack-graph";
import { stackGraphTests } from "./stack-assertions";
import { workloadTests } from "./workload-assertions";

describe("stack lab under Pulumi mocks", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runStackUnderMocks("lab");
  });
  stackGraphTests("lab", () => run, 4);
  workloadTests("lab", () => run);
});
