// Builds the API sentences (lists of words) for the verbs Kasi uses. Values travel
// length-prefixed and may hold anything, but menu paths, property names and ids are checked:
// a name containing "=" would silently become a different attribute on the router.

export type RouterValue = string | number | boolean;
export type RouterAttributes = Readonly<Record<string, RouterValue>>;

export interface PrintOptions {
  /** Only these properties (`=.proplist=`); rows lacking all of them come back as `{}`. */
  proplist?: readonly string[];
  /** Equality filters, all of which must hold (`?name=value` words). */
  where?: RouterAttributes;
  /** Raw query words for anything else (`?>bytes-in=0`, `?#|`); each must start with "?". */
  query?: readonly string[];
}

const MENU_PATH = /^(\/[a-z0-9][a-z0-9-]*)+$/;
const PROPERTY = /^\.?[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const ITEM_ID = /^\*[0-9A-Fa-f]+$/;

function checkPath(path: string): string {
  if (!MENU_PATH.test(path)) throw new TypeError(`not a RouterOS menu path: ${JSON.stringify(path)}`);
  return path;
}

function checkProperty(name: string): string {
  if (!PROPERTY.test(name)) throw new TypeError(`not a RouterOS property name: ${JSON.stringify(name)}`);
  return name;
}

function checkId(id: string): string {
  if (!ITEM_ID.test(id)) throw new TypeError(`not a RouterOS item id: ${JSON.stringify(id)}`);
  return id;
}

/** Flags as yes/no, which every RouterOS release accepts. */
export function formatValue(value: RouterValue): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

function attributeWords(attrs: RouterAttributes): string[] {
  return Object.entries(attrs).map(([name, value]) => `=${checkProperty(name)}=${formatValue(value)}`);
}

export function printWords(path: string, options: PrintOptions = {}): string[] {
  const words = [`${checkPath(path)}/print`];
  if (options.proplist) words.push(`=.proplist=${options.proplist.map(checkProperty).join(',')}`);
  for (const [name, value] of Object.entries(options.where ?? {})) {
    words.push(`?${checkProperty(name)}=${formatValue(value)}`);
  }
  for (const word of options.query ?? []) {
    if (!word.startsWith('?')) throw new TypeError(`not a query word: ${JSON.stringify(word)}`);
    words.push(word);
  }
  return words;
}

export function addWords(path: string, attrs: RouterAttributes): string[] {
  return [`${checkPath(path)}/add`, ...attributeWords(attrs)];
}

/** `id` undefined: a singleton menu (/ppp/aaa, /radius/incoming…). */
export function setWords(path: string, id: string | undefined, attrs: RouterAttributes): string[] {
  const target = id === undefined ? [] : [`=.id=${checkId(id)}`];
  return [`${checkPath(path)}/set`, ...target, ...attributeWords(attrs)];
}

export function itemWords(path: string, verb: 'remove' | 'enable' | 'disable', id: string): string[] {
  return [`${checkPath(path)}/${verb}`, `=.id=${checkId(id)}`];
}

export function unsetWords(path: string, id: string, property: string): string[] {
  return [`${checkPath(path)}/unset`, `=.id=${checkId(id)}`, `=value-name=${checkProperty(property)}`];
}

/** The command word alone, for logs: attribute values may be secrets (RADIUS secrets, passwords). */
export function commandOf(words: readonly string[]): string {
  return words[0] ?? '';
}

/** A command that is not a menu verb (`/tool/fetch`, `/ip/hotspot/active/login`) with its arguments. */
export function commandWords(command: string, attrs: RouterAttributes): string[] {
  return [checkPath(command), ...attributeWords(attrs)];
}
