// Reads typed values out of one API row (all values arrive as text), failing with
// ROUTER.BAD_REPLY that names the menu and the property when one is missing or malformed.
import { RouterError } from './router.errors.ts';
import { parseDuration, parseFlag, parseInteger } from './router.values.ts';

export type RouterRow = Readonly<Record<string, string>>;

export class RowReader {
  readonly #menu: string;
  readonly #row: RouterRow;

  constructor(menu: string, row: RouterRow) {
    this.#menu = menu;
    this.#row = row;
  }

  text(name: string): string {
    return this.#parsed(name, (value) => value);
  }

  optionalText(name: string): string | undefined {
    return this.#row[name];
  }

  list(name: string): string[] {
    return this.text(name)
      .split(',')
      .filter((part) => part !== '');
  }

  integer(name: string): number {
    return this.#parsed(name, parseInteger);
  }

  flag(name: string): boolean {
    return this.#parsed(name, parseFlag);
  }

  seconds(name: string): number {
    return this.#parsed(name, (value) => parseDuration(value));
  }

  #parsed<T>(name: string, parse: (value: string) => T | undefined): T {
    const raw = this.#row[name];
    const value = raw === undefined ? undefined : parse(raw);
    if (value === undefined) {
      const shown = raw === undefined ? 'missing' : JSON.stringify(raw);
      throw new RouterError('ROUTER.BAD_REPLY', `${this.#menu}: property ${name} is ${shown}`);
    }
    return value;
  }
}
