// Paraglide compiles a message missing in sw or fr without complaint (it falls back to English),
// so this test is the guard: every area's file has the same keys, with the same {variables},
// in every locale of project.inlang/settings.json, and every key carries its area's prefix.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const web = join(import.meta.dirname, '../../..');
const settings = JSON.parse(readFileSync(join(web, 'project.inlang/settings.json'), 'utf8')) as {
  baseLocale: string;
  locales: string[];
};
const areas = readdirSync(join(web, 'messages', settings.baseLocale))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

function load(locale: string, area: string): Record<string, string> {
  const raw = JSON.parse(readFileSync(join(web, 'messages', locale, `${area}.json`), 'utf8')) as Record<
    string,
    string
  >;
  delete raw.$schema;
  return raw;
}

const variables = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort();

describe('message files', () => {
  it('cover the areas common, console, agent and my', () => {
    expect(areas.sort()).toEqual(['agent', 'common', 'console', 'my']);
  });

  for (const area of areas) {
    const base = load(settings.baseLocale, area);
    it(`${area}: keys carry the area prefix`, () => {
      expect(Object.keys(base).filter((k) => !k.startsWith(`${area}_`))).toEqual([]);
    });
    for (const locale of settings.locales.filter((l) => l !== settings.baseLocale)) {
      it(`${area}: ${locale} has exactly the keys and variables of ${settings.baseLocale}`, () => {
        const other = load(locale, area);
        expect(Object.keys(other).sort()).toEqual(Object.keys(base).sort());
        for (const [key, text] of Object.entries(base)) {
          expect({ key, vars: variables(other[key] ?? '') }).toEqual({ key, vars: variables(text) });
          expect({ key, empty: (other[key] ?? '').trim() === '' }).toEqual({ key, empty: false });
        }
      });
    }
  }
});
