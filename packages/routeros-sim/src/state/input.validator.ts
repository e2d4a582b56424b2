// Checks command arguments against a menu the way RouterOS does before touching state:
// unknown or read-only properties, boolean spellings, references to other menus' names.
import type { Menu, Row } from './menu.schema.ts';
import { invalidValue, noMatchingValue, unknownParameter } from './router.errors.ts';
import type { RouterState } from './router.state.ts';

const BOOLEAN_INPUT: Record<string, string> = { yes: 'true', no: 'false', true: 'true', false: 'false' };

/** Returns the values normalised for storage; throws TrapError on the first bad argument. */
export function validateInput(state: RouterState, menu: Menu, attributes: Row): Row {
  const out: Row = {};
  for (const [name, value] of Object.entries(attributes)) {
    const spec = menu.fields[name];
    if (!spec || spec.readOnly) throw unknownParameter();
    if (spec.boolean) {
      const normalised = BOOLEAN_INPUT[value];
      if (normalised === undefined) throw invalidValue(name);
      out[name] = normalised;
      continue;
    }
    if (spec.ref && !refersToExisting(state, spec.ref, value)) throw noMatchingValue(name);
    out[name] = value;
  }
  return out;
}

function refersToExisting(
  state: RouterState,
  ref: { path: string; extra?: readonly string[] },
  value: string,
) {
  if (ref.extra?.includes(value)) return true;
  return state.table(ref.path).findByName(value) !== undefined;
}

/** A property that `unset` may clear: known and not maintained by the router. */
export function assertUnsettable(menu: Menu, name: string): void {
  const spec = menu.fields[name];
  if (!spec || spec.readOnly || name === 'name') throw unknownParameter();
}
