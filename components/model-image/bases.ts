import * as fs from "fs";
import * as path from "path";
import { l4tMajor } from "../jetson-node/board";
import { projectRoot } from "../../domain/project-files";

/** `images/bases.json`: per model, the L4T base image of each L4T major release (null: none published). */
export type BaseTable = Record<string, Record<string, string | null>>;

export const BASES_FILE = path.join(projectRoot(__dirname), "images", "bases.json");

export function readBaseTable(file: string = BASES_FILE): BaseTable {
  return JSON.parse(fs.readFileSync(file, "utf8")) as BaseTable;
}

/** A board that runs the image, with the L4T release its preflight read. */
export interface BoardRelease {
  nodeName: string;
  l4tRelease: string;
}

/**
 * The base image for `model` on these boards. Every board that runs one image must share an L4T
 * major release, since an L4T container runs only on the release it was built for.
 */
export function chooseBase(model: string, boards: BoardRelease[], table: BaseTable, override?: string): { base: string; l4t: string } {
  if (boards.length === 0) throw new Error(`${model}: no board runs it, so no L4T release chooses its base`);
  const majors = new Map<string, string[]>();
  for (const board of boards) {
    const major = l4tMajor(board.l4tRelease);
    majors.set(major, [...(majors.get(major) ?? []), `${board.nodeName} (${board.l4tRelease})`]);
  }
  if (majors.size > 1) {
    const found = [...majors.values()].flat().join(", ");
    throw new Error(`${model}: its boards run different L4T releases (${found}); one image cannot serve them: put ${model} on boards of one JetPack release`);
  }
  const l4t = [...majors.keys()][0];
  if (override !== undefined) return { base: override, l4t };
  const entry = table[model];
  if (entry === undefined) throw new Error(`${model}: not in ${BASES_FILE}`);
  const base = entry[l4t];
  if (base === undefined) {
    throw new Error(`${model}: ${BASES_FILE} has no base for ${l4t} (it knows ${Object.keys(entry).join(", ")}); set images.models.${model}.build.base`);
  }
  if (base === null) {
    throw new Error(
      `${model}: no L4T base image is published for ${l4t} (${BASES_FILE}); set images.models.${model}.build.base to one you built, or give a prebuilt image`,
    );
  }
  return { base, l4t };
}

/** The `sha256:...` digest inside a reference (`repo@sha256:...`), or undefined for a tag. */
export function digestOf(reference: string): string | undefined {
  const match = /@(sha256:[0-9a-f]{64})$/.exec(reference);
  return match === null ? undefined : match[1];
}
