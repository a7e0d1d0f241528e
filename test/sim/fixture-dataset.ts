import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** Where the fixtures are: `$EDGECALL_FIXTURES`, else ../shared/fixtures beside the checkout. */
export const FIXTURES = process.env.EDGECALL_FIXTURES ?? path.resolve(__dirname, "../../../shared/fixtures");

/** A benchmark dataset of real reads, for the sim stack's `benchmark.dataset` and `reference`. */
export interface FixtureDataset {
  dir: string;
  manifest: string;
  reference: string;
}

/**
 * A dataset of the fixtures' first READS single-read R9.4.1 FAST5 files and the lambda reference,
 * as links in DIR (nothing copied) and a manifest of their sha256. The reads are Klebsiella, so
 * they do not align to lambda: the benchmark still runs every step on real signal.
 */
export function fixtureDataset(dir: string, reads: number): FixtureDataset {
  const fast5 = path.join(FIXTURES, "fast5/r941_klebsiella_single");
  const reference = path.join(FIXTURES, "reference/lambda_virus.fa");
  if (!fs.existsSync(fast5) || !fs.existsSync(reference)) {
    throw new Error(`the fixtures are missing (${fast5}, ${reference}); set EDGECALL_FIXTURES to their folder`);
  }
  const files = fs.readdirSync(fast5).filter((f) => f.endsWith(".fast5")).sort().slice(0, reads);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "reads"), { recursive: true });
  const lines = ["file\tsha256"];
  const entries: Array<[string, string]> = [...files.map((f): [string, string] => [`reads/${f}`, path.join(fast5, f)]), ["lambda_virus.fa", reference]];
  for (const [name, source] of entries) {
    fs.symlinkSync(source, path.join(dir, name));
    lines.push(`${name}\t${createHash("sha256").update(fs.readFileSync(source)).digest("hex")}`);
  }
  const manifest = `${dir}.manifest.tsv`;
  fs.writeFileSync(manifest, `${lines.join("\n")}\n`);
  return { dir, manifest, reference: "lambda_virus.fa" };
}
