// Client input that can never be right, refused as a typed 400 before any procedure code
// sees it: a body that is not JSON or not valid superjson, nesting deeper than any of our
// inputs, a NUL character (PostgreSQL text cannot hold one) and integers beyond the 64-bit
// columns they would be stored in.
import { TRPCError } from '@trpc/server';
import { invalid } from '@kasi/domain';

const MAX_DEPTH = 32;
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

/** Reading or decoding the body failed: the client's mistake (limits keep their own code). */
export function unreadableInput(cause: unknown): Error {
  if (cause instanceof TRPCError && cause.code === 'PAYLOAD_TOO_LARGE') return cause;
  return invalid('INPUT.MALFORMED', 'The request body is not valid JSON or superjson');
}

function checkValue(value: unknown): Error | null {
  if (typeof value === 'string' && value.includes('\u0000'))
    return invalid('INPUT.NUL_CHARACTER', 'Text may not contain a NUL character');
  if (typeof value === 'bigint' && (value < INT8_MIN || value > INT8_MAX))
    return invalid('INPUT.INTEGER_OUT_OF_RANGE', 'A number is too large');
  return null;
}

/** Walks the decoded input without recursion; throws the first problem found. */
export function assertCleanInput(input: unknown): void {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: input, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const problem = checkValue(item.value);
    if (problem) throw problem;
    if (typeof item.value !== 'object' || item.value === null || item.value instanceof Date) continue;
    if (item.depth >= MAX_DEPTH) throw invalid('INPUT.TOO_DEEP', 'The input is nested too deeply');
    const entries: Array<[unknown, unknown]> =
      item.value instanceof Map
        ? [...item.value]
        : item.value instanceof Set
          ? [...item.value].map((v) => [null, v])
          : Object.entries(item.value);
    for (const [key, value] of entries) {
      const keyProblem = checkValue(key);
      if (keyProblem) throw keyProblem;
      stack.push({ value, depth: item.depth + 1 });
    }
  }
}
