import * as fs from "fs";
import * as path from "path";

/** Where `npm run build` puts the JavaScript of the program, the components and the CLI. */
export const COMPILED_DIR = "dist";

/** The project's root: the nearest directory at or above `from` whose package.json is edgecall's. */
export function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name === "edgecall") return dir;
    if (path.dirname(dir) === dir) throw new Error(`no edgecall package.json at or above ${from}`);
  }
}

/**
 * A file that sits beside a module in the source tree (a host script, a pod script, a migration),
 * whether the module runs from its TypeScript (tsx, vitest) or compiled into dist/: the compiled
 * tree holds JavaScript only, so a compiled module reaches back into the sources for its files.
 */
export function besideModule(moduleDir: string, ...parts: string[]): string {
  const root = projectRoot(moduleDir);
  const relative = path.relative(root, moduleDir).split(path.sep);
  return path.join(root, ...(relative[0] === COMPILED_DIR ? relative.slice(1) : relative), ...parts);
}
