/**
 * What `segflow` exits with. Scripts and CI branch on these, so a code keeps
 * its meaning once published; `segflow --help` prints the same table.
 */
export const EXIT_CODES = {
  /** Everything the command was asked to do is done. */
  done: 0,
  /** Nothing or only part was done: a bad mapping, a vendor outage, a bug. */
  error: 1,
  /** The command line itself is wrong: unknown command or option, missing argument. Nothing was run. */
  usage: 2,
  /** The command finished, but some changes were dead-lettered or not applied. */
  unapplied: 3,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

const MEANINGS: ReadonlyArray<readonly [ExitCode, string]> = [
  [EXIT_CODES.done, 'done'],
  [EXIT_CODES.error, 'error: a bad mapping, a vendor or system failure (the message says which)'],
  [EXIT_CODES.usage, 'usage: unknown command or option, missing or bad argument; nothing was run'],
  [EXIT_CODES.unapplied, 'finished, but some changes were dead-lettered or not applied (see segflow dlq list)'],
];

/** The `exit codes:` section of `segflow --help`, built from the constants so the two cannot drift. */
export function exitCodeHelp(): string {
  return `exit codes:\n${MEANINGS.map(([code, meaning]) => `  ${code}  ${meaning}`).join('\n')}\n`;
}
