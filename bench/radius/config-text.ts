// Small, loud text edits on FreeRADIUS configuration files: each edit must find what it
// expects, so a changed Debian default fails the bench instead of silently measuring
// something else.

export function replaceLine(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text)) throw new Error(`FreeRADIUS config: expected a line matching ${pattern}`);
  return text.replace(pattern, replacement);
}

/**
 * Rewrites every uncommented `name { ... }` section (brace-matched, ignoring `#` comments);
 * `change` gets the whole section text and returns its replacement.
 */
export function editBlocks(text: string, name: string, change: (block: string) => string): string {
  const opener = new RegExp(`^[ \\t]*${name}[ \\t]*\\{`, 'gm');
  let out = '';
  let from = 0;
  let found = 0;
  for (let m = opener.exec(text); m; m = opener.exec(text)) {
    if (m.index < from) continue;
    const end = closingBrace(text, m.index + m[0].length);
    out += text.slice(from, m.index) + change(text.slice(m.index, end + 1));
    from = end + 1;
    found++;
  }
  if (found === 0) throw new Error(`FreeRADIUS config: no "${name} {" section found`);
  return out + text.slice(from);
}

/** Index of the brace closing the one just before `start`. */
function closingBrace(text: string, start: number): number {
  let depth = 1;
  let inComment = false;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') inComment = false;
    if (inComment) continue;
    if (c === '"' && text[i - 1] !== '\\') inString = !inString;
    if (inString) continue;
    if (c === '#') inComment = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  throw new Error('FreeRADIUS config: unbalanced braces');
}
