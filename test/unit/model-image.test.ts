import { describe, expect, it } from "vitest";
import { BASES_FILE, chooseBase, digestOf, readBaseTable } from "../../components/model-image";

const table = readBaseTable();

describe("base image by L4T release", () => {
  it("follows the boards' JetPack: r32.7.1 PyTorch 1.10 on JetPack 4, r36 on JetPack 6", () => {
    expect(chooseBase("sacall", [{ nodeName: "nano-1", l4tRelease: "R32.7.1" }], table)).toEqual({
      base: "nvcr.io/nvidia/l4t-pytorch:r32.7.1-pth1.10-py3",
      l4t: "R32",
    });
    expect(chooseBase("rodan", [{ nodeName: "orin", l4tRelease: "R36.3.0" }], table)).toEqual({ base: table.rodan.R36, l4t: "R36" });
    expect(table.rodan.R36).toMatch(/r36/);
    expect(chooseBase("chiron", [{ nodeName: "xavier", l4tRelease: "R35.4.1" }], table).base).toMatch(/l4t-tensorflow:r35.*tf1\.15/);
  });

  it("refuses a model whose JetPack has no published base, naming the file and the way out", () => {
    expect(() => chooseBase("chiron", [{ nodeName: "orin", l4tRelease: "R36.3.0" }], table)).toThrow(
      `chiron: no L4T base image is published for R36 (${BASES_FILE}); set images.models.chiron.build.base to one you built, or give a prebuilt image`,
    );
  });

  it("takes a configured base instead, still requiring one JetPack across the model's boards", () => {
    expect(chooseBase("chiron", [{ nodeName: "orin", l4tRelease: "R36.3.0" }], table, "reg/tf1:r36")).toEqual({ base: "reg/tf1:r36", l4t: "R36" });
    expect(() =>
      chooseBase("sacall", [{ nodeName: "nano-1", l4tRelease: "R32.7.1" }, { nodeName: "orin", l4tRelease: "R36.3.0" }], table),
    ).toThrow("sacall: its boards run different L4T releases (nano-1 (R32.7.1), orin (R36.3.0)); one image cannot serve them");
    expect(() => chooseBase("sacall", [{ nodeName: "nano-1", l4tRelease: "R28.2" }], table)).toThrow(/has no base for R28/);
  });

  it("reads a digest only from a reference pinned by one", () => {
    const digest = `sha256:${"0123456789abcdef".repeat(4)}`;
    expect(digestOf(`reg:5000/edgecall/sacall@${digest}`)).toBe(digest);
    expect(digestOf("reg:5000/edgecall/sacall:l4t-r32")).toBeUndefined();
    expect(digestOf("reg/x@sha256:short")).toBeUndefined();
  });
});
