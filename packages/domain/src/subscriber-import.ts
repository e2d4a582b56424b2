// CSV import of subscribers: which column feeds which field (guessed from the headers, then
// adjusted by the operator) and how one row's cells become a `subscriberInput` candidate.
// Parsing the CSV text and resolving plan names need I/O and live in the server.

export const IMPORT_FIELDS = [
  'username',
  'password',
  'plan',
  'service',
  'macAddress',
  'framedIp',
  'fullName',
  'phone',
  'email',
  'address',
  'latitude',
  'longitude',
  'tags',
  'notes',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
/** One entry per CSV column: the field it feeds, or null to ignore the column. */
export type ImportMapping = (ImportField | null)[];

export const isImportField = (v: string): v is ImportField =>
  (IMPORT_FIELDS as readonly string[]).includes(v);

/** Header spellings seen in other systems' exports (Splynx, UISP, PHPNuxBill, spreadsheets). */
const ALIASES: Record<ImportField, string[]> = {
  username: ['username', 'user', 'login', 'pppoeuser', 'pppoeusername', 'account', 'userid', 'customerid'],
  password: ['password', 'pass', 'pwd', 'secret', 'pppoepassword', 'pppoesecret'],
  plan: ['plan', 'planname', 'package', 'profile', 'tariff', 'serviceplan', 'bandwidth'],
  service: ['service', 'servicetype', 'type', 'connectiontype'],
  macAddress: ['mac', 'macaddress', 'callerid', 'cpemac', 'callingstationid'],
  framedIp: ['ip', 'staticip', 'ipaddress', 'framedip', 'remoteaddress', 'framedipaddress'],
  fullName: ['name', 'fullname', 'customer', 'customername', 'clientname', 'subscribername'],
  phone: ['phone', 'mobile', 'msisdn', 'tel', 'telephone', 'phonenumber', 'cell', 'mobilenumber'],
  email: ['email', 'mail', 'emailaddress', 'e-mail'],
  address: ['address', 'location', 'street', 'physicaladdress', 'streetaddress'],
  latitude: ['lat', 'latitude', 'gpslat', 'gpslatitude'],
  longitude: ['lon', 'lng', 'long', 'longitude', 'gpslon', 'gpslng', 'gpslongitude'],
  tags: ['tags', 'tag', 'labels', 'groups', 'group'],
  notes: ['notes', 'note', 'comment', 'comments', 'remarks'],
};

const squash = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Each header to the field it most likely holds; a field is used by one column at most. */
export function guessImportMapping(headers: readonly string[]): ImportMapping {
  const used = new Set<ImportField>();
  return headers.map((h) => {
    const key = squash(h);
    const field = IMPORT_FIELDS.find(
      (f) => !used.has(f) && (f.toLowerCase() === key || ALIASES[f].includes(key)),
    );
    if (field) used.add(field);
    return field ?? null;
  });
}

/** A mapping must name the user name and the plan, and use no field twice. */
export function mappingProblems(mapping: ImportMapping): string[] {
  const problems: string[] = [];
  for (const required of ['username', 'plan'] as const) {
    if (!mapping.includes(required)) problems.push(`No column is mapped to ${required}`);
  }
  const seen = new Set<ImportField>();
  for (const f of mapping) {
    if (f === null) continue;
    if (seen.has(f)) problems.push(`Two columns are mapped to ${f}`);
    seen.add(f);
  }
  return problems;
}

export interface ImportCandidate {
  /** Shaped for `subscriberInput`, without `planId` (resolved by the caller from `plan`). */
  values: Record<string, unknown>;
  /** The plan as written in the file: a name or an id. */
  plan: string | null;
}

/** One row's cells → a candidate. Blank cells are "not given", so the schema's defaults apply. */
export function importRowCandidate(cells: readonly string[], mapping: ImportMapping): ImportCandidate {
  const values: Record<string, unknown> = {};
  let plan: string | null = null;
  mapping.forEach((field, i) => {
    const cell = (cells[i] ?? '').trim();
    if (field === null || cell === '') return;
    if (field === 'plan') plan = cell;
    else if (field === 'tags') values['tags'] = cell.split(/[;,|\s]+/).filter(Boolean);
    else if (field === 'service') values['service'] = cell.toLowerCase();
    else values[field] = cell;
  });
  return { values, plan };
}
