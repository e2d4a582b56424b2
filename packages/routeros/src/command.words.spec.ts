import { describe, expect, it } from 'vitest';
import { addWords, itemWords, printWords, setWords, unsetWords } from './command.words.ts';

describe('command words', () => {
  it('builds a print with proplist, equality filters and raw queries', () => {
    expect(
      printWords('/ip/hotspot/active', {
        proplist: ['.id', 'user'],
        where: { server: 'hotspot1', radius: true },
        query: ['?>bytes-in=0'],
      }),
    ).toEqual([
      '/ip/hotspot/active/print',
      '=.proplist=.id,user',
      '?server=hotspot1',
      '?radius=yes',
      '?>bytes-in=0',
    ]);
  });

  it('keeps values verbatim, "=" and empty strings included', () => {
    expect(addWords('/radius', { secret: 'a=b', comment: '', 'authentication-port': 1812 })).toEqual([
      '/radius/add',
      '=secret=a=b',
      '=comment=',
      '=authentication-port=1812',
    ]);
  });

  it('targets items by id and singletons without one', () => {
    expect(setWords('/radius', '*1A', { disabled: false })).toEqual([
      '/radius/set',
      '=.id=*1A',
      '=disabled=no',
    ]);
    expect(setWords('/ppp/aaa', undefined, { 'use-radius': true })).toEqual([
      '/ppp/aaa/set',
      '=use-radius=yes',
    ]);
    expect(itemWords('/ppp/active', 'remove', '*5')).toEqual(['/ppp/active/remove', '=.id=*5']);
    expect(unsetWords('/queue/simple', '*2', 'comment')).toEqual([
      '/queue/simple/unset',
      '=.id=*2',
      '=value-name=comment',
    ]);
  });

  it.each([
    () => printWords('ip/address'),
    () => printWords('/ip/address/'),
    () => printWords('/ip/address', { proplist: ['a,b'] }),
    () => printWords('/ip/address', { query: ['name=x'] }),
    () => addWords('/radius', { 'secret=x': 'y' }),
    () => setWords('/radius', 'ether1', {}),
    () => itemWords('/radius', 'remove', '*1 '),
  ])('refuses a malformed path, name, query or id (%#)', (build) => {
    expect(build).toThrow(TypeError);
  });
});
