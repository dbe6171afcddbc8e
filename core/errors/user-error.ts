/**
 * A problem the user can act on, printed as its message alone (no stack):
 * a locked state directory, an interrupted run. Bugs stay plain Errors.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}
