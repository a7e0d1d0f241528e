import { afterEach, describe, expect, it } from "vitest";
import { requirePresent, skipOutsideCi } from "../helpers/needs";

const ci = process.env.CI;
afterEach(() => {
  if (ci === undefined) delete process.env.CI;
  else process.env.CI = ci;
});

describe("a test that needs what this machine may lack (test/helpers/needs.ts)", () => {
  it("skips outside CI only, and runs with CI=true to fail naming what is missing", () => {
    delete process.env.CI;
    expect(skipOutsideCi("root")).toBe(true);
    expect(skipOutsideCi(undefined)).toBe(false);
    process.env.CI = "true";
    expect(skipOutsideCi("root")).toBe(false);
    expect(() => requirePresent("root")).toThrow("this test needs root; CI=true does not let it skip");
    expect(() => requirePresent(undefined)).not.toThrow();
  });
});
