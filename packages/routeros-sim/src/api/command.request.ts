// One API command sentence taken apart: command word, `=name=value` attributes, `?` query
// words and the `.tag`. Attribute values may be empty or contain '='.

export interface ApiRequest {
  /** The command word, e.g. '/ip/hotspot/user/print'. */
  readonly command: string;
  /** The menu part, e.g. '/ip/hotspot/user'. */
  readonly menuPath: string;
  /** The last path segment, e.g. 'print'. */
  readonly verb: string;
  readonly tag: string | undefined;
  readonly attributes: ReadonlyMap<string, string>;
  /** Query words without their leading '?'. */
  readonly queries: readonly string[];
}

export function parseRequest(words: readonly string[]): ApiRequest | undefined {
  const [command, ...rest] = words;
  if (command === undefined) return undefined;
  const attributes = new Map<string, string>();
  const queries: string[] = [];
  let tag: string | undefined;
  for (const word of rest) {
    if (word.startsWith('=')) {
      const at = word.indexOf('=', 1);
      if (at < 0) attributes.set(word.slice(1), '');
      else attributes.set(word.slice(1, at), word.slice(at + 1));
    } else if (word.startsWith('?')) queries.push(word.slice(1));
    else if (word.startsWith('.tag=')) tag = word.slice(5);
  }
  const slash = command.lastIndexOf('/');
  return {
    command,
    menuPath: slash > 0 ? command.slice(0, slash) : '',
    verb: command.slice(slash + 1),
    tag,
    attributes,
    queries,
  };
}
