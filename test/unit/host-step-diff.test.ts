import { describe, expect, it } from "vitest";
import { diffStep } from "../../components/remote/provider/step-diff";
import type { StepInputs, StepOutputs } from "../../components/remote/provider/step-state";
import { SshSessions } from "../../components/remote/provider/ssh-sessions";
import { StepProvider } from "../../components/remote/provider/step-provider";
import { UNKNOWN, holdsUnknown, reveal, secret } from "../../components/remote/provider/secrets";

const inputs: StepInputs = {
  connection: { host: "10.0.0.2", port: 22, user: "jetson", privateKey: "KEY", dialErrorLimit: 3, perDialTimeout: 10 },
  sudoPassword: "pw",
  step: { name: "power-mode", script: "unchanged\n", env: { EDGECALL_NVPMODEL_MODE: "0" } },
  undoable: true,
  secretFacts: false,
};
const state: StepOutputs = { ...inputs, facts: { power_mode_id: "0" }, changed: false, inSync: true };

describe("what a host step needs on pulumi up", () => {
  it("nothing when the inputs are the same and the last look found the board as apply left it", () => {
    expect(diffStep(state, inputs)).toEqual({ changes: false, replaces: [], reasons: [] });
  });

  it("an apply on the same board when a refresh found drift, or what the step reads changed", () => {
    expect(diffStep({ ...state, inSync: false }, inputs)).toMatchObject({ changes: true, replaces: [] });
    expect(diffStep(state, { ...inputs, step: { ...inputs.step, env: { EDGECALL_NVPMODEL_MODE: "1" } } })).toMatchObject({ changes: true, replaces: [] });
    expect(diffStep(state, { ...inputs, sudoPassword: "new" })).toMatchObject({ changes: true, replaces: [] });
    expect(diffStep(state, { ...inputs, secrets: { K3S_TOKEN: "t" } })).toMatchObject({ changes: true, replaces: [] });
    const withFiles = { ...inputs, uploads: { dir: "/var/tmp/x", files: [{ source: "/a", target: "a", sha256: "a".repeat(64) }] } };
    expect(diffStep({ ...state, ...withFiles }, { ...withFiles, uploads: { dir: "/var/tmp/x", files: [{ source: "/b", target: "a", sha256: "a".repeat(64) }] } })).toMatchObject({
      changes: false,
    });
    expect(diffStep({ ...state, ...withFiles }, { ...withFiles, uploads: { dir: "/var/tmp/x", files: [{ source: "/a", target: "a", sha256: "b".repeat(64) }] } })).toMatchObject({
      changes: true,
    });
  });

  it("a replacement when what the step is about changed (its replaceOn values)", () => {
    const member = { ...inputs, step: { ...inputs.step, env: { EDGECALL_NODE_HOST: "10.0.0.5", EDGECALL_MODE: "a" }, replaceOn: ["EDGECALL_NODE_HOST"] } };
    const memberState = { ...state, ...member };
    expect(diffStep(memberState, { ...member, step: { ...member.step, env: { EDGECALL_NODE_HOST: "10.0.0.6", EDGECALL_MODE: "a" } } })).toMatchObject({
      changes: true,
      replaces: ["step.env.EDGECALL_NODE_HOST"],
    });
    expect(diffStep(memberState, { ...member, step: { ...member.step, env: { EDGECALL_NODE_HOST: "10.0.0.5", EDGECALL_MODE: "b" } } })).toMatchObject({
      changes: true,
      replaces: [],
    });
  });

  it("a replacement when the board's address, port or user changed", () => {
    expect(diffStep(state, { ...inputs, connection: { ...inputs.connection, host: "10.0.0.9" } })).toMatchObject({ changes: true, replaces: ["connection.host"] });
    expect(diffStep(state, { ...inputs, connection: { ...inputs.connection, user: "root", port: 2222 } }).replaces).toEqual(["connection.port", "connection.user"]);
  });
});

describe("the provider's handling of values the engine sends", () => {
  const provider = new StepProvider(new SshSessions());
  const urn = "urn:pulumi:s::edgecall::edgecall:host:Step::x";

  it("unwraps secrets at any depth and finds values not known yet", () => {
    expect(reveal({ a: secret({ b: secret("c") }), d: [secret(1)] })).toEqual({ a: { b: "c" }, d: [1] });
    expect(holdsUnknown({ a: [{ b: secret(UNKNOWN) }] })).toBe(true);
    expect(holdsUnknown({ a: "known" })).toBe(false);
  });

  it("leaves a preview's unknown values to the up, and still sees a new board", async () => {
    const unknownStep = { ...inputs, step: UNKNOWN };
    expect(await provider.check(urn, unknownStep)).toEqual({ inputs: unknownStep });
    expect(await provider.diff(urn, state as unknown as Record<string, unknown>, unknownStep)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const moved = { ...unknownStep, connection: { ...inputs.connection, host: "10.0.0.9" } };
    expect(await provider.diff(urn, state as unknown as Record<string, unknown>, moved)).toEqual({
      changes: true,
      replaces: ["connection.host"],
      deleteBeforeReplace: true,
    });
  });

  it("refuses inputs that break the contract, naming the field", async () => {
    const result = await provider.check(urn, { ...inputs, connection: { ...inputs.connection, port: "22" } });
    expect(result.failures?.[0].reason).toMatch(/x: invalid host step inputs: connection\.port: /);
  });
});
