/** Spool files are numbered so their names sort in write order. */
export const SPOOL_FILE = /^\d{12}\.jsonl$/;

export function spoolFileName(sequence: number): string {
  return `${String(sequence).padStart(12, '0')}.jsonl`;
}
