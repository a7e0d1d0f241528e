import { createHash } from "crypto";

/** One file of a dataset and the sha256 its content must have. */
export interface ManifestEntry {
  file: string;
  sha256: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** A dataset that cannot be planned, and the config field to change (`benchmark.reference`). */
export class DatasetError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The dataset's name on a board: the sha256 of its manifest's bytes. */
export function datasetId(manifestText: string): string {
  return createHash("sha256").update(manifestText, "utf8").digest("hex");
}

/**
 * Parses a sha256 manifest (TSV: file, sha256; a first line `file<TAB>sha256` is a header). A bad
 * line is a user mistake: the error names the manifest, the line and what is wrong with it.
 */
export function parseManifest(text: string, where: string): ManifestEntry[] {
  const entries: ManifestEntry[] = [];
  const seen = new Set<string>();
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "");
    if (line.trim().length === 0) return;
    const columns = line.split("\t");
    if (i === 0 && columns[0] === "file" && columns[1] === "sha256") return;
    const at = `${where} line ${i + 1}`;
    if (columns.length !== 2) throw new DatasetError("benchmark.dataset.manifest", `${at}: expected two tab-separated columns (file, sha256), found ${columns.length}`);
    const [file, sha] = columns;
    const hash = sha.toLowerCase();
    if (!SHA256.test(hash)) throw new DatasetError("benchmark.dataset.manifest", `${at}: ${JSON.stringify(sha)} is not a sha256 (64 hex digits)`);
    if (file.startsWith("/") || file.split("/").includes("..") || file.length === 0) {
      throw new DatasetError("benchmark.dataset.manifest", `${at}: ${JSON.stringify(file)} must be a path inside the dataset (relative, without '..')`);
    }
    if (/[\s\\]/.test(file) || file.startsWith(".edgecall")) {
      throw new DatasetError("benchmark.dataset.manifest", `${at}: ${JSON.stringify(file)} must not contain spaces or backslashes nor start with .edgecall`);
    }
    if (seen.has(file)) throw new DatasetError("benchmark.dataset.manifest", `${at}: ${file} is listed twice`);
    seen.add(file);
    entries.push({ file, sha256: hash });
  });
  if (entries.length === 0) throw new DatasetError("benchmark.dataset.manifest", `${where}: the manifest lists no files`);
  return entries;
}

/**
 * The reads a benchmark measures: every manifest file but the reference, the first `readCount` of
 * them when given. Errors name the config field to change.
 */
export function selectReads(entries: readonly ManifestEntry[], reference: string, readCount?: number): ManifestEntry[] {
  if (!entries.some((e) => e.file === reference)) {
    throw new DatasetError("benchmark.reference", `benchmark.reference ${reference} is not listed in the dataset manifest; add it with its sha256`);
  }
  const reads = entries.filter((e) => e.file !== reference);
  if (reads.length === 0) throw new DatasetError("benchmark.dataset.manifest", "the dataset manifest lists no read files besides the reference");
  if (readCount === undefined) return reads;
  if (readCount > reads.length) {
    throw new DatasetError("benchmark.readCount", `benchmark.readCount ${readCount} is more than the ${reads.length} read files the manifest lists; lower it`);
  }
  return reads.slice(0, readCount);
}

/** Deals reads round-robin to `shards` shards, so shard sizes differ by at most one. */
export function shardReads<T>(reads: readonly T[], shards: number): T[][] {
  if (!Number.isInteger(shards) || shards < 1) throw new Error(`shard count must be a positive integer, got ${shards}`);
  if (shards > reads.length) throw new DatasetError("benchmark.scaling.maxBoards", `cannot split ${reads.length} reads into ${shards} shards; raise benchmark.readCount or lower benchmark.scaling.maxBoards`);
  const out: T[][] = Array.from({ length: shards }, () => []);
  reads.forEach((read, i) => out[i % shards].push(read));
  return out;
}

/** The TSV the converter reads, with its header line. */
export function renderManifest(entries: readonly ManifestEntry[]): string {
  return `file\tsha256\n${entries.map((e) => `${e.file}\t${e.sha256}\n`).join("")}`;
}
