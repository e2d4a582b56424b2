// How a RouterOS menu is described to the emulator: its fields (in print order), which verbs
// it answers, which fields must be unique and with which error text.

export type Row = Record<string, string>;

export type Verb =
  'print' | 'getall' | 'get' | 'listen' | 'add' | 'set' | 'remove' | 'enable' | 'disable' | 'unset' | 'login';

export const READ_VERBS: ReadonlySet<Verb> = new Set(['print', 'getall', 'get', 'listen']);

export interface FieldContext {
  now(): number;
  formatDateTime(ms: number): string;
}

export interface FieldSpec {
  /** Value on add when not supplied; absent means the property stays unset (omitted by print). */
  readonly default?: string | ((ctx: FieldContext) => string);
  /** Maintained by the router; the API refuses it as an argument. */
  readonly readOnly?: boolean;
  /** Accepts yes/no/true/false and is printed as true/false, as the API does. */
  readonly boolean?: boolean;
  /** Must name a row of another menu ("input does not match any value of …"). */
  readonly ref?: { readonly path: string; readonly extra?: readonly string[] };
}

export interface UniqueRule {
  readonly fields: readonly string[];
  readonly message: string;
}

interface MenuBase {
  readonly path: string;
  readonly fields: Readonly<Record<string, FieldSpec>>;
  readonly verbs: readonly Verb[];
}

export interface TableMenu extends MenuBase {
  readonly kind: 'table';
  readonly unique?: UniqueRule;
  /** Fills derived fields (e.g. /ip/address network) after the row's own values are known. */
  readonly derive?: (row: Row) => Row;
}

export interface SingletonMenu extends MenuBase {
  readonly kind: 'singleton';
  /** Live values computed at read time (uptime, clock). */
  readonly live?: (ctx: LiveContext) => Row;
}

export interface LiveContext extends FieldContext {
  readonly startedAt: number;
  readonly isoDates: boolean;
  readonly versionString: string;
  readonly buildTime: number;
}

export type Menu = TableMenu | SingletonMenu;

export const TABLE_VERBS: readonly Verb[] = [
  'print',
  'getall',
  'get',
  'listen',
  'add',
  'set',
  'remove',
  'enable',
  'disable',
  'unset',
];
export const SESSION_VERBS: readonly Verb[] = ['print', 'getall', 'get', 'listen', 'remove'];
export const SINGLETON_VERBS: readonly Verb[] = ['print', 'getall', 'get', 'listen', 'set'];
export const READONLY_SINGLETON_VERBS: readonly Verb[] = ['print', 'getall', 'get', 'listen'];

// Small builders keep the catalogue readable.
export const text = (value?: string): FieldSpec => (value === undefined ? {} : { default: value });
export const flag = (value: boolean): FieldSpec => ({ default: String(value), boolean: true });
export const readOnly = (value?: string | ((ctx: FieldContext) => string)): FieldSpec =>
  value === undefined ? { readOnly: true } : { readOnly: true, default: value };
export const readOnlyFlag = (value: boolean): FieldSpec => ({ ...flag(value), readOnly: true });
export const ref = (path: string, value?: string, extra?: readonly string[]): FieldSpec => ({
  ...text(value),
  ref: extra ? { path, extra } : { path },
});

export function table(
  path: string,
  fields: Record<string, FieldSpec>,
  options: Partial<Pick<TableMenu, 'unique' | 'derive' | 'verbs'>> = {},
): TableMenu {
  return { kind: 'table', path, fields, verbs: options.verbs ?? TABLE_VERBS, ...options };
}

export function singleton(
  path: string,
  fields: Record<string, FieldSpec>,
  options: Partial<Pick<SingletonMenu, 'live' | 'verbs'>> = {},
): SingletonMenu {
  return { kind: 'singleton', path, fields, verbs: options.verbs ?? SINGLETON_VERBS, ...options };
}

export const uniqueName = (message: string): UniqueRule => ({ fields: ['name'], message });
