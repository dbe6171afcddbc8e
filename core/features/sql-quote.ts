/** SQL literal and identifier quoting: every user string reaches SQL through these. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A JSON path to a top-level property of the payload, safe for any key. */
export function propertyPath(property: string): string {
  return sqlString(`$.properties."${property.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`);
}
