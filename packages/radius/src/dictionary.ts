// The attribute dictionary: one typed table per vendor, merged into lookups by name and by
// wire code. Attribute names are a literal union so a typo is a compile error, not a silent drop.
import type { AttributeDefinition, DataType } from './dictionary.types.ts';
import { standardAttributes } from './dictionary.standard.ts';
import { microsoftAttributes, mikrotikAttributes, Vendor } from './dictionary.vendors.ts';

type Specs = typeof standardAttributes & typeof mikrotikAttributes & typeof microsoftAttributes;

export type AttributeName = keyof Specs;

interface ValueByDataType {
  string: string | Buffer;
  octets: Buffer | string;
  integer: number;
  integer64: bigint | number;
  ipaddr: string;
  ipv6addr: string;
  ipv6prefix: string;
  ifid: Buffer;
  date: Date | number;
  vsa: Buffer;
}

type ValueNames<S> = S extends { values: infer V } ? keyof V & string : never;

/** What the encoder accepts for an attribute: its data type's JS form, or a value name for enums. */
export type AttributeValue<N extends AttributeName> =
  ValueByDataType[Specs[N]['dataType']] | ValueNames<Specs[N]>;

/** Names of the values of an enumerated attribute ('Start' | 'Stop' | ... for Acct-Status-Type). */
export type AttributeValueName<N extends AttributeName> = ValueNames<Specs[N]>;

const byName = new Map<string, AttributeDefinition>();
const byWireKey = new Map<string, AttributeDefinition>();

function register(table: Record<string, Omit<AttributeDefinition, 'name' | 'vendorId'>>, vendorId?: number) {
  for (const [name, spec] of Object.entries(table)) {
    const definition: AttributeDefinition =
      vendorId === undefined ? { ...spec, name } : { ...spec, name, vendorId };
    byName.set(name, definition);
    byWireKey.set(wireKey(spec.code, vendorId), definition);
  }
}

const wireKey = (code: number, vendorId?: number) => `${vendorId ?? 0}:${code}`;

register(standardAttributes);
register(mikrotikAttributes, Vendor.Mikrotik);
register(microsoftAttributes, Vendor.Microsoft);

/** The definition of a named attribute; throws for names outside the dictionary (a programming error). */
export function attributeDefinition(name: AttributeName): AttributeDefinition {
  const definition = byName.get(name);
  if (!definition) throw new Error(`Unknown RADIUS attribute "${name}"`);
  return definition;
}

/** Looks up a name that arrived at run time (configuration, database rows). */
export function findAttributeByName(name: string): AttributeDefinition | undefined {
  return byName.get(name);
}

/** The definition for a wire code; pass vendorId and the vendor type for VSAs. */
export function findAttributeByCode(code: number, vendorId?: number): AttributeDefinition | undefined {
  return byWireKey.get(wireKey(code, vendorId));
}

export function isAttributeName(name: string): name is AttributeName {
  return byName.has(name);
}

export function allAttributeDefinitions(): AttributeDefinition[] {
  return [...byName.values()];
}

/** The number behind a value name ('Start' → 1), or undefined when the attribute has no such value. */
export function valueNumber(definition: AttributeDefinition, valueName: string): number | undefined {
  return definition.values?.[valueName];
}

/** The name of an enumerated value (1 → 'Start'), or undefined when it has none. */
export function valueName(definition: AttributeDefinition, value: number): string | undefined {
  if (!definition.values) return undefined;
  for (const [name, number] of Object.entries(definition.values)) if (number === value) return name;
  return undefined;
}

export type { AttributeDefinition, DataType };
