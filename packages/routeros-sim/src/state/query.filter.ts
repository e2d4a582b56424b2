// RouterOS API query words (`?name=x`, `?<name=x`, `?-name`, `?#|!` …) compiled into a row
// predicate. Each non-`#` word pushes true/false; `?#` words rework the stack; a row matches
// when every value left on the stack is true (no query words: every row matches).
import type { Row } from './menu.schema.ts';
import { TrapError } from './router.errors.ts';

type Step = { kind: 'test'; test: (row: Row) => boolean } | { kind: 'ops'; ops: string };

export type RowPredicate = (row: Row) => boolean;

/** `words` are the query words without their leading '?'. */
export function compileQuery(words: readonly string[]): RowPredicate {
  const steps = words.map(parseWord);
  checkStackUse(steps);
  if (steps.length === 0) return () => true;
  return (row) => evaluate(steps, row).every(Boolean);
}

function parseWord(word: string): Step {
  if (word.startsWith('#')) return { kind: 'ops', ops: word.slice(1) };
  if (word.startsWith('-')) {
    const name = word.slice(1);
    return { kind: 'test', test: (row) => row[name] === undefined };
  }
  const op = word[0];
  if (op === '<' || op === '>') {
    const [name, value] = splitPair(word.slice(1));
    return { kind: 'test', test: (row) => compare(row[name], value, op) };
  }
  const pair = word.startsWith('=') ? word.slice(1) : word;
  if (!pair.includes('=')) return { kind: 'test', test: (row) => row[pair] !== undefined };
  const [name, value] = splitPair(pair);
  return { kind: 'test', test: (row) => equals(row[name], value) };
}

function splitPair(pair: string): [string, string] {
  const at = pair.indexOf('=');
  return at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
}

const BOOLEAN_ALIASES: Record<string, string> = { yes: 'true', no: 'false' };

function equals(actual: string | undefined, wanted: string): boolean {
  if (actual === undefined) return wanted === '';
  if (actual === wanted) return true;
  return (actual === 'true' || actual === 'false') && BOOLEAN_ALIASES[wanted] === actual;
}

function compare(actual: string | undefined, wanted: string, op: '<' | '>'): boolean {
  if (actual === undefined) return false;
  const a = Number(actual);
  const b = Number(wanted);
  const numeric = actual !== '' && wanted !== '' && Number.isFinite(a) && Number.isFinite(b);
  const order = numeric ? Math.sign(a - b) : actual < wanted ? -1 : actual > wanted ? 1 : 0;
  return op === '<' ? order < 0 : order > 0;
}

function evaluate(steps: readonly Step[], row: Row): boolean[] {
  let stack: boolean[] = [];
  for (const step of steps) {
    if (step.kind === 'test') stack.push(step.test(row));
    else stack = applyOps(step.ops, stack);
  }
  return stack;
}

/** Stack index 0 is the top. */
function at(stack: readonly boolean[], index: number): boolean {
  return stack[stack.length - 1 - index] ?? false;
}

function applyOps(ops: string, input: boolean[]): boolean[] {
  let stack = [...input];
  let i = 0;
  while (i < ops.length) {
    const digits = /^\d+/.exec(ops.slice(i))?.[0];
    if (digits) {
      i += digits.length;
      const value = at(stack, Number(digits));
      if (i >= ops.length) return [value]; // index at the end: replace the whole stack
      stack.push(value);
      if (ops[i] === '.') i++; // '.' right after an index only terminates it
      continue;
    }
    stack = applyOp(ops[i] ?? '', stack);
    i++;
  }
  return stack;
}

function applyOp(op: string, stack: boolean[]): boolean[] {
  const top = stack.pop() ?? false;
  if (op === '!') return [...stack, !top];
  if (op === '.') return [...stack, top, top];
  const next = stack.pop() ?? false;
  return [...stack, op === '&' ? top && next : top || next];
}

/** Refuses query words that would read below the bottom of the stack or use unknown operators. */
function checkStackUse(steps: readonly Step[]): void {
  let depth = 0;
  for (const step of steps) {
    if (step.kind === 'test') depth++;
    else depth = opsDepth(step.ops, depth);
  }
}

function opsDepth(ops: string, start: number): number {
  let depth = start;
  let i = 0;
  while (i < ops.length) {
    const digits = /^\d+/.exec(ops.slice(i))?.[0];
    if (digits) {
      i += digits.length;
      if (Number(digits) >= depth) throw invalidQuery();
      if (i >= ops.length) return 1;
      depth++;
      if (ops[i] === '.') i++;
      continue;
    }
    const need = { '!': 1, '.': 1, '&': 2, '|': 2 }[ops[i] ?? ''];
    if (need === undefined || depth < need) throw invalidQuery();
    depth += ops[i] === '.' ? 1 : ops[i] === '!' ? 0 : -1;
    i++;
  }
  return depth;
}

function invalidQuery(): TrapError {
  return new TrapError('invalid query');
}
