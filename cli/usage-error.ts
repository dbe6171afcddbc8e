/**
 * The command line is wrong (unknown option or command, missing argument):
 * printed as one line that points at the help of the command concerned, never
 * with the whole help text, and exits with EXIT_CODES.usage.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** The command whose help explains the mistake, e.g. `segflow dlq list`. */
    readonly commandPath: string,
  ) {
    super(message);
  }
}
