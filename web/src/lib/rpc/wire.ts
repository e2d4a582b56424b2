// The tRPC wire format between the web app and the server: superjson's, written and read by
// hand for the values Kasi sends (ADR 0035). The server keeps superjson (its input guard,
// ADR 0019 hardening and every test speak it); the browser only needs this much of it, about
// 0.6 KB gzip where the library took 4.5 KB of the dashboard's 60 KB budget.
//
// The format: `{ json, meta?: { values, v: 1 } }`. `json` is plain JSON; `values` annotates
// the places that held something JSON cannot: a type name at a path ("a.b.0": ["bigint"]),
// or the root's own `[type, { childPath: annotation }]`. Path segments escape "." and "\".

type Annotation = [string] | [string, Annotations];
interface Annotations {
  [path: string]: Tree;
}
type Tree = Annotation | Annotations;

export interface Wire {
  json: unknown;
  meta?: { values?: Tree; v?: number; referentialEqualities?: unknown };
}

const escapeKey = (key: string) => key.replace(/\\/g, '\\\\').replace(/\./g, '\\.');

function parsePath(path: string): string[] {
  const segments: string[] = [];
  let segment = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '\\') {
      const next = path[++i];
      if (next !== '\\' && next !== '.') throw new Error('invalid path');
      segment += next;
    } else if (c === '.') {
      segments.push(segment);
      segment = '';
    } else segment += c;
  }
  segments.push(segment);
  return segments;
}

/** A value for the server: bigint, Date and undefined annotated, the rest as JSON. */
export function encode(value: unknown): Wire {
  const values: Record<string, Annotation> = {};
  let root: Annotation | undefined;
  const walk = (v: unknown, path: string[]): unknown => {
    const type =
      typeof v === 'bigint' ? 'bigint' : v instanceof Date ? 'Date' : v === undefined ? 'undefined' : '';
    if (type) {
      if (path.length) values[path.map(escapeKey).join('.')] = [type];
      else root = [type];
      return type === 'bigint' ? String(v) : type === 'Date' ? (v as Date).toISOString() : null;
    }
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, String(i)]));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v)) out[key] = walk(item, [...path, key]);
    return out;
  };
  const json = walk(value, []);
  const hasValues = Object.keys(values).length > 0;
  if (root) return { json, meta: { values: hasValues ? [root[0], values] : root, v: 1 } };
  return hasValues ? { json, meta: { values, v: 1 } } : { json };
}

const NUMBERS: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

/** One annotated value back to what the server sent; an unknown annotation is an error. */
function revive(type: string, v: unknown): unknown {
  switch (type) {
    case 'undefined':
      return undefined;
    case 'bigint':
      return BigInt(v as string);
    case 'Date':
      return new Date(v as string);
    case 'number':
      return NUMBERS[v as string] ?? Number(v);
    case 'set':
      return new Set(v as unknown[]);
    case 'map':
      return new Map(v as [unknown, unknown][]);
    case 'regexp': {
      const s = v as string;
      const end = s.lastIndexOf('/');
      return new RegExp(s.slice(1, end), s.slice(end + 1));
    }
    case 'URL':
      return new URL(v as string);
    case 'Error': {
      const { message, ...rest } = v as { message: string };
      return Object.assign(new Error(message), rest);
    }
  }
  throw new Error(`Unknown transformation: ${type}`);
}

/** The server's answer, with its annotated values revived (children before their parents). */
export function decode(wire: Wire): unknown {
  const box: Record<string, unknown> = { '': wire.json };
  const at = (path: string[], fn: (v: unknown) => unknown) => {
    let holder = box;
    let key = '';
    for (const segment of path) {
      holder = holder[key] as Record<string, unknown>;
      if (typeof holder !== 'object' || holder === null) throw new Error('invalid path');
      key = segment;
    }
    holder[key] = fn(holder[key]);
  };
  const visit = (tree: Tree, path: string[]) => {
    if (!Array.isArray(tree)) {
      for (const [key, sub] of Object.entries(tree)) visit(sub, [...path, ...parsePath(key)]);
      return;
    }
    const [type, children] = tree;
    if (children) for (const [key, sub] of Object.entries(children)) visit(sub, [...path, ...parsePath(key)]);
    at(path, (v) => revive(type, v));
  };
  if (wire.meta?.values) visit(wire.meta.values, []);
  return box[''];
}
