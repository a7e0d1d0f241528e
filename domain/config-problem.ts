/** One problem with a stack's config: where (`nodes[1].role`) and what was expected. */
export interface ConfigProblem {
  path: string;
  message: string;
  /** Line and column in the stack file, for problems found before its config could be read (YAML syntax). */
  position?: { line: number; col: number };
  /** The offending line and a caret under the column, shown under the problem's line. */
  excerpt?: string[];
}
