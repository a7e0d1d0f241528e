import { beforeAll, describe } from "vitest";
import { StackRun, runStackUnderMocks } from "./helpers/stack-graph";
import { stackGraphTests } from "./stack-assertions";

describe("stack sim under Pulumi mocks", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runStackUnderMocks("sim");
  });
  stackGraphTests("sim", () => run);
});
