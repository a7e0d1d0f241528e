import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { recordResources, stackConfigForMocks } from "./helpers/pulumi-mocks";

describe("the program on an invalid config", () => {
  it("stops with every bad field named before registering any resource", async () => {
    const resources = await recordResources("lab");
    const config = stackConfigForMocks("lab");
    const nodes = JSON.parse(config["edgecall:nodes"]) as Array<Record<string, unknown>>;
    nodes[1].role = "master";
    nodes[2].board = "tx2";
    pulumi.runtime.setAllConfig({ ...config, "edgecall:nodes": JSON.stringify(nodes) }, ["edgecall:ssh"]);

    const error = await import("../../infra/index").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(pulumi.RunError);
    const message = (error as Error).message;
    expect(message).toContain('nodes[1].role: Invalid option: expected one of "server"|"agent", got "master"');
    expect(message).toContain('nodes[2].board: Invalid option: expected one of "nano"|"xavier"|"orin", got "tx2"');
    expect(message).not.toContain("decrypted-test-secret");
    expect(resources).toEqual([]);
  });
});
