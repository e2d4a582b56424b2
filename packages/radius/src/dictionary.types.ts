// Shapes shared by the attribute dictionaries. Data type names follow FreeRADIUS:
// 'string' is UTF-8 text, 'octets' is opaque bytes.

export type DataType =
  | 'string'
  | 'octets'
  | 'integer'
  | 'integer64'
  | 'ipaddr'
  | 'ipv6addr'
  | 'ipv6prefix'
  | 'ifid'
  | 'date'
  | 'vsa';

/**
 * How the encoder hides a value on the wire: RFC 2865 §5.2 (User-Password) or the
 * RFC 2548 §2.4.2 salted scheme (MS-MPPE-Send-Key / Recv-Key).
 */
export type Encryption = 'user-password' | 'salted';

export interface AttributeSpec {
  readonly code: number;
  readonly dataType: DataType;
  readonly encrypt?: Encryption;
  /** Named values of an enumerated integer (Acct-Status-Type: Start = 1 ...). */
  readonly values?: Readonly<Record<string, number>>;
}

/** A dictionary entry with its name and, for VSAs, its vendor. */
export interface AttributeDefinition extends AttributeSpec {
  readonly name: string;
  /** Absent for standard attributes; the IANA enterprise number for VSAs. */
  readonly vendorId?: number;
}
