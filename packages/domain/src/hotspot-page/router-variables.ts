// What a MikroTik does to a hotspot page before serving it: `$(name)` becomes the variable's
// value, `$(name-esc)` its URL-encoded form, and `$(if name)…$(elif name == v)…$(else)…$(endif)`
// keep one branch (a variable is true when not empty). Used for the console preview and by
// tests that fill a page "as RouterOS would". Unknown variables become empty, as on the router,
// and are reported so the caller can log them.

export type RouterVariables = Readonly<Record<string, string>>;

export interface FilledPage {
  html: string;
  /** Variables the page used that were not given. */
  missing: string[];
}

const TOKEN = /\$\(([a-z][a-z0-9-]*)(?:\s+([^)]*))?\)/g;

function lookup(vars: RouterVariables, name: string, missing: Set<string>): string {
  if (name in vars) return vars[name] ?? '';
  if (name.endsWith('-esc')) {
    const base = name.slice(0, -4);
    if (base in vars) return encodeURIComponent(vars[base] ?? '');
  }
  missing.add(name);
  return '';
}

function holds(condition: string, vars: RouterVariables, missing: Set<string>): boolean {
  const m = /^([a-z][a-z0-9-]*)\s*(?:(==|!=)\s*(.*))?$/.exec(condition.trim());
  if (!m) return false;
  const value = lookup(vars, m[1] ?? '', missing);
  if (!m[2]) return value !== '';
  return m[2] === '==' ? value === (m[3] ?? '').trim() : value !== (m[3] ?? '').trim();
}

interface Frame {
  /** This branch is being output. */
  on: boolean;
  /** A branch of this if has already been taken. */
  taken: boolean;
  /** The enclosing frame outputs. */
  outer: boolean;
}

export function fillRouterVariables(template: string, vars: RouterVariables): FilledPage {
  const missing = new Set<string>();
  const stack: Frame[] = [];
  const live = () => stack.at(-1)?.on ?? true;
  let out = '';
  let at = 0;
  for (const m of template.matchAll(TOKEN)) {
    if (live()) out += template.slice(at, m.index);
    at = m.index + m[0].length;
    const [, word = '', arg = ''] = m;
    const top = stack.at(-1);
    if (word === 'if') {
      const outer = live();
      const on = outer && holds(arg, vars, missing);
      stack.push({ on, taken: on, outer });
    } else if (word === 'elif' && top) {
      top.on = top.outer && !top.taken && holds(arg, vars, missing);
      top.taken ||= top.on;
    } else if (word === 'else' && top) {
      top.on = top.outer && !top.taken;
      top.taken = true;
    } else if (word === 'endif') stack.pop();
    else if (live()) out += lookup(vars, word, missing);
  }
  if (live()) out += template.slice(at);
  return { html: out, missing: [...missing].sort() };
}

/** How RouterOS writes a byte string into `$(chap-id)` / `$(chap-challenge)`: octal escapes. */
export function octalEscape(bytes: Uint8Array): string {
  return [...bytes].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
}
