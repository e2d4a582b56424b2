// What of a user name a log may show. A voucher's User-Name is its code, the whole credential,
// so logs carry only enough to tell users apart when reading along: the first two characters
// and the length (none of it for short names, where two characters would be most of it).
const SHOWN = 2;
const SHORTEST_SHOWN = 6;

export function maskUserName(name: string): string {
  const chars = [...name];
  const head = chars.length >= SHORTEST_SHOWN ? chars.slice(0, SHOWN).join('') : '';
  return `${head}…(${chars.length})`;
}
