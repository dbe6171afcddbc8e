/** A key or array index on the way from the document root to a node. */
export type PathSegment = string | number;

/**
 * A problem found in the parsed mapping, located by its path in the document.
 * The semantic checks (check-mapping.ts) produce these without knowing about
 * YAML; the loader (load-mapping.ts) turns them into file:line:col issues.
 */
export interface LocatedProblem {
  path: PathSegment[];
  message: string;
  /** For a problem inside a string value (a rule), the character offset in it. */
  offset?: number;
  /** Point at the key rather than its value (unknown keys). */
  atKey?: boolean;
}
