// Named values of enumerated integer attributes, as registered with IANA.
// Names match FreeRADIUS dictionaries so logs and SQL rows read the same in both.

export const serviceType = {
  'Login-User': 1,
  'Framed-User': 2,
  'Callback-Login-User': 3,
  'Callback-Framed-User': 4,
  'Outbound-User': 5,
  'Administrative-User': 6,
  'NAS-Prompt-User': 7,
  'Authenticate-Only': 8,
  'Callback-NAS-Prompt': 9,
  'Call-Check': 10,
  'Callback-Administrative': 11,
  'Authorize-Only': 17,
} as const;

export const framedProtocol = {
  PPP: 1,
  SLIP: 2,
  ARAP: 3,
  'Gandalf-SLML': 4,
  'Xylogics-IPX-SLIP': 5,
  'X.75-Synchronous': 6,
} as const;

export const framedRouting = { None: 0, Broadcast: 1, Listen: 2, 'Broadcast-Listen': 3 } as const;

export const framedCompression = {
  None: 0,
  'Van-Jacobson-TCP-IP': 1,
  'IPX-Header-Compression': 2,
  'Stac-LZS': 3,
} as const;

export const terminationAction = { Default: 0, 'RADIUS-Request': 1 } as const;

export const acctStatusType = {
  Start: 1,
  Stop: 2,
  'Interim-Update': 3,
  'Accounting-On': 7,
  'Accounting-Off': 8,
  Failed: 15,
} as const;

export const acctAuthentic = { RADIUS: 1, Local: 2, Remote: 3, Diameter: 4 } as const;

export const acctTerminateCause = {
  'User-Request': 1,
  'Lost-Carrier': 2,
  'Lost-Service': 3,
  'Idle-Timeout': 4,
  'Session-Timeout': 5,
  'Admin-Reset': 6,
  'Admin-Reboot': 7,
  'Port-Error': 8,
  'NAS-Error': 9,
  'NAS-Request': 10,
  'NAS-Reboot': 11,
  'Port-Unneeded': 12,
  'Port-Preempted': 13,
  'Port-Suspended': 14,
  'Service-Unavailable': 15,
  Callback: 16,
  'User-Error': 17,
  'Host-Request': 18,
  'Supplicant-Restart': 19,
  'Reauthentication-Failure': 20,
  'Port-Reinitialized': 21,
  'Port-Administratively-Disabled': 22,
} as const;

export const nasPortType = {
  Async: 0,
  Sync: 1,
  ISDN: 2,
  'ISDN-V120': 3,
  'ISDN-V110': 4,
  Virtual: 5,
  PIAFS: 6,
  'HDLC-Clear-Channel': 7,
  'X.25': 8,
  'X.75': 9,
  'G.3-Fax': 10,
  SDSL: 11,
  'ADSL-CAP': 12,
  'ADSL-DMT': 13,
  IDSL: 14,
  Ethernet: 15,
  xDSL: 16,
  Cable: 17,
  'Wireless-Other': 18,
  'Wireless-802.11': 19,
  'Token-Ring': 20,
  FDDI: 21,
  'Wireless-CDMA2000': 22,
  'Wireless-UMTS': 23,
  'Wireless-1X-EV': 24,
  IAPP: 25,
  PPPoA: 30,
  PPPoEoA: 31,
  PPPoEoE: 32,
  PPPoEoVLAN: 33,
  PPPoEoQinQ: 34,
} as const;

/** RFC 5176 §3.5: why a NAS acknowledged or refused a CoA/Disconnect. */
export const errorCause = {
  'Residual-Session-Context-Removed': 201,
  'Invalid-EAP-Packet': 202,
  'Unsupported-Attribute': 401,
  'Missing-Attribute': 402,
  'NAS-Identification-Mismatch': 403,
  'Invalid-Request': 404,
  'Unsupported-Service': 405,
  'Unsupported-Extension': 406,
  'Invalid-Attribute-Value': 407,
  'Administratively-Prohibited': 501,
  'Request-Not-Routable': 502,
  'Session-Context-Not-Found': 503,
  'Session-Context-Not-Removable': 504,
  'Other-Proxy-Processing-Error': 505,
  'Resources-Unavailable': 506,
  'Request-Initiated': 507,
  'Multiple-Session-Selection-Unsupported': 508,
} as const;

export const mikrotikWirelessEncAlgo = {
  'No-encryption': 0,
  '40-bit-WEP': 1,
  '104-bit-WEP': 2,
  'AES-CCM': 3,
  TKIP: 4,
} as const;

export const mikrotikWirelessVlanIdType = { '802.1q': 0, '802.1ad': 1 } as const;

export const msMppeEncryptionPolicy = { 'Encryption-Allowed': 1, 'Encryption-Required': 2 } as const;
