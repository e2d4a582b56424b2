// Recognises PostgreSQL constraint violations through Drizzle's error wrapping, so services
// can turn a lost race on a unique index into the same typed conflict as the pre-check.

export function violatedConstraint(e: unknown): string | null {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const err = cur as { code?: unknown; constraint_name?: unknown; constraint?: unknown; cause?: unknown };
    if (err.code === '23505') return String(err.constraint_name ?? err.constraint ?? '');
    cur = err.cause;
  }
  return null;
}

/** A row is still referenced (23503): a delete that must give way to keeping the row. */
export function isForeignKeyViolation(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const err = cur as { code?: unknown; cause?: unknown };
    if (err.code === '23503') return true;
    cur = err.cause;
  }
  return false;
}
