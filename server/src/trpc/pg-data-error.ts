// PostgreSQL data exceptions (SQLSTATE class 22: a value out of range, invalid text, a NUL
// byte, a bad date) raised while storing what a client sent are that client's mistake.
// Found by walking the cause chain, since drizzle wraps the driver's error.
export function pgDataErrorCode(e: unknown): string | null {
  let current: unknown = e;
  for (let i = 0; i < 5 && current instanceof Error; i++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return code;
    current = current.cause;
  }
  return null;
}
