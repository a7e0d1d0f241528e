import { describe, expect, it } from "vitest";
import { IdStore } from "../../benchmarks/accuracy/id-store";

describe("the read id store of evaluate", () => {
  it("finds every id again past several growths of its buffer and table, and tells ids that share a prefix apart", () => {
    const store = new IdStore();
    const id = (i: number): string => `read-${i}-${"é".repeat(i % 7)}-${"x".repeat(i % 300)}`;
    for (let i = 0; i < 20_000; i++) expect(store.add(id(i))).toBeUndefined();
    expect(store.size).toBe(20_000);
    for (const i of [0, 1, 1023, 1024, 4097, 19_999]) {
      expect(store.find(id(i))).toBe(i);
      expect(store.get(i)).toBe(id(i));
    }
    expect(store.find("read-1")).toBeUndefined();
    expect(store.find(`${id(5)}x`)).toBeUndefined();
  });

  it("reports an id seen before, keeps it findable as its first read and still stores the copy in order", () => {
    const store = new IdStore();
    store.add("a");
    store.add("b");
    expect(store.add("a")).toBe(0);
    expect(store.find("a")).toBe(0);
    expect(store.get(2)).toBe("a");
  });
});
