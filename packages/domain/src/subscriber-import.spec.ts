import { describe, expect, it } from 'vitest';
import { guessImportMapping, importRowCandidate, mappingProblems } from './subscriber-import.ts';
import { subscriberInput } from './subscriber.input.ts';

describe('CSV import mapping', () => {
  it('recognises the header spellings of other systems, each field once', () => {
    expect(
      guessImportMapping([
        'Login',
        'PPPoE Password',
        'Package',
        'Customer Name',
        'MSISDN',
        'Caller-ID',
        'GPS Lat',
        'lng',
        'Name',
        'Foo',
      ]),
    ).toEqual([
      'username',
      'password',
      'plan',
      'fullName',
      'phone',
      'macAddress',
      'latitude',
      'longitude',
      null,
      null,
    ]);
  });

  it('needs a user name and a plan column, and no field twice', () => {
    expect(mappingProblems(['username', 'plan', null])).toEqual([]);
    expect(mappingProblems(['username', 'username'])).toEqual([
      'No column is mapped to plan',
      'Two columns are mapped to username',
    ]);
  });

  it('turns a row into a candidate: blanks left out, tags split, service lower-cased', () => {
    const c = importRowCandidate(
      ['jane', '', 'Home', 'tower-a; vip', 'PPPoE', 'x'],
      ['username', 'password', 'plan', 'tags', 'service', null],
    );
    expect(c).toEqual({
      plan: 'Home',
      values: { username: 'jane', tags: ['tower-a', 'vip'], service: 'pppoe' },
    });
  });
});

describe('subscriber input', () => {
  const base = { username: 'jane', planId: '3f0c8a52-4a7e-4d59-9b38-1b2a5f0f8e11' };

  it('normalises phone, MAC and tags and keeps coordinates exact', () => {
    expect(
      subscriberInput.parse({
        ...base,
        phone: '+254 (712) 345-678',
        macAddress: 'aa-bb-cc-dd-ee-ff',
        tags: ['Tower-A'],
        latitude: '-1.286389',
        longitude: '36.817223',
      }),
    ).toMatchObject({
      phone: '+254712345678',
      macAddress: 'AA:BB:CC:DD:EE:FF',
      tags: ['tower-a'],
      latitude: '-1.286389',
      longitude: '36.817223',
    });
  });

  it('refuses a local phone number, a coordinate out of range and half a GPS point', () => {
    const issues = (v: object) =>
      subscriberInput.safeParse({ ...base, ...v }).error?.issues.map((i) => i.path.join('.'));
    expect(issues({ phone: '0712345678' })).toEqual(['phone']);
    expect(issues({ latitude: '91', longitude: '0' })).toEqual(['latitude']);
    expect(issues({ latitude: '1.5' })).toEqual(['longitude']);
    expect(issues({ latitude: '1.1234567', longitude: '1' })).toEqual(['latitude']);
  });
});
