/** SQL literal and identifier quoting: every user string reaches SQL through these. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A JSON path to a top-level key of the properties column, safe for any key. */
export function propertyPath(property: string): string {
  return sqlString(`$."${property.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`);
}
