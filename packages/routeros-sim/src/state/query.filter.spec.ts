import { describe, expect, it } from 'vitest';
import type { Row } from './menu.schema.ts';
import { compileQuery } from './query.filter.ts';

const rows: Row[] = [
  { '.id': '*1', name: 'ether1', type: 'ether', mtu: '1500', comment: 'wan' },
  { '.id': '*2', name: 'vlan10', type: 'vlan', mtu: '1496' },
  { '.id': '*3', name: 'wlan1', type: 'wlan', mtu: '1500', disabled: 'true' },
];

function names(query: string[]): string[] {
  const match = compileQuery(query);
  return rows.filter(match).map((r) => r.name ?? '');
}

describe('compileQuery', () => {
  it('matches every row when there are no query words', () => {
    expect(names([])).toEqual(['ether1', 'vlan10', 'wlan1']);
  });

  it('tests equality in both ?name=x and ?=name=x forms', () => {
    expect(names(['type=vlan'])).toEqual(['vlan10']);
    expect(names(['=type=vlan'])).toEqual(['vlan10']);
  });

  it('tests presence and absence of a property', () => {
    expect(names(['comment'])).toEqual(['ether1']);
    expect(names(['-comment'])).toEqual(['vlan10', 'wlan1']);
  });

  it('compares numbers numerically with ?< and ?>', () => {
    expect(names(['<mtu=1500'])).toEqual(['vlan10']);
    expect(names(['>mtu=1499'])).toEqual(['ether1', 'wlan1']);
  });

  it('ANDs all values left on the stack', () => {
    expect(names(['mtu=1500', 'type=wlan'])).toEqual(['wlan1']);
  });

  it('ORs and negates with ?#| and ?#! (the wiki example: not ether and not vlan)', () => {
    expect(names(['type=ether', 'type=vlan', '#|'])).toEqual(['ether1', 'vlan10']);
    expect(names(['type=ether', 'type=vlan', '#|!'])).toEqual(['wlan1']);
  });

  it('ANDs explicitly with ?#&', () => {
    expect(names(['mtu=1500', 'comment', '#&'])).toEqual(['ether1']);
  });

  it('replaces the stack with an indexed value when the index ends the word', () => {
    // Stack (top first): type=wlan, type=vlan. "#1" keeps only type=vlan.
    expect(names(['type=vlan', 'type=wlan', '#1'])).toEqual(['vlan10']);
  });

  it('pushes an indexed copy when more operators follow; "." right after an index is a no-op', () => {
    // Stack (bottom→top): type=wlan, comment. "#1|" pushes a copy of type=wlan and ORs it with
    // comment, leaving [type=wlan, comment|type=wlan]: only wlan1 has both true.
    expect(names(['type=wlan', 'comment', '#1|'])).toEqual(['wlan1']);
    // Were "." a duplication here, the stack would keep a bare `comment` and wlan1 would fail.
    expect(names(['type=wlan', 'comment', '#1.|'])).toEqual(['wlan1']);
    // Elsewhere "." duplicates the top value.
    expect(names(['comment', '#.&'])).toEqual(['ether1']);
  });

  it('treats yes/no as the API booleans true/false', () => {
    expect(names(['disabled=yes'])).toEqual(['wlan1']);
  });

  it('refuses operators that would read below the stack', () => {
    expect(() => compileQuery(['type=ether', '#|'])).toThrow(/invalid query/);
    expect(() => compileQuery(['#!'])).toThrow(/invalid query/);
  });
});
