// Vendor-specific attributes: MikroTik (14988, RouterOS RADIUS client docs) and
// Microsoft (311, RFC 2548) for MS-CHAP and MPPE keys.
import type { AttributeSpec } from './dictionary.types.ts';
import {
  mikrotikWirelessEncAlgo,
  mikrotikWirelessVlanIdType,
  msMppeEncryptionPolicy,
} from './dictionary.values.ts';

export const Vendor = { Microsoft: 311, Mikrotik: 14988 } as const;

export const mikrotikAttributes = {
  'Mikrotik-Recv-Limit': { code: 1, dataType: 'integer' },
  'Mikrotik-Xmit-Limit': { code: 2, dataType: 'integer' },
  'Mikrotik-Group': { code: 3, dataType: 'string' },
  'Mikrotik-Wireless-Forward': { code: 4, dataType: 'integer' },
  'Mikrotik-Wireless-Skip-Dot1x': { code: 5, dataType: 'integer' },
  'Mikrotik-Wireless-Enc-Algo': { code: 6, dataType: 'integer', values: mikrotikWirelessEncAlgo },
  'Mikrotik-Wireless-Enc-Key': { code: 7, dataType: 'string' },
  'Mikrotik-Rate-Limit': { code: 8, dataType: 'string' },
  'Mikrotik-Realm': { code: 9, dataType: 'string' },
  'Mikrotik-Host-IP': { code: 10, dataType: 'ipaddr' },
  'Mikrotik-Mark-Id': { code: 11, dataType: 'string' },
  'Mikrotik-Advertise-URL': { code: 12, dataType: 'string' },
  'Mikrotik-Advertise-Interval': { code: 13, dataType: 'integer' },
  'Mikrotik-Recv-Limit-Gigawords': { code: 14, dataType: 'integer' },
  'Mikrotik-Xmit-Limit-Gigawords': { code: 15, dataType: 'integer' },
  'Mikrotik-Wireless-PSK': { code: 16, dataType: 'string' },
  'Mikrotik-Total-Limit': { code: 17, dataType: 'integer' },
  'Mikrotik-Total-Limit-Gigawords': { code: 18, dataType: 'integer' },
  'Mikrotik-Address-List': { code: 19, dataType: 'string' },
  'Mikrotik-Wireless-MPKey': { code: 20, dataType: 'string' },
  'Mikrotik-Wireless-Comment': { code: 21, dataType: 'string' },
  'Mikrotik-Delegated-IPv6-Pool': { code: 22, dataType: 'string' },
  'Mikrotik-DHCP-Option-Set': { code: 23, dataType: 'string' },
  'Mikrotik-DHCP-Option-Param-STR1': { code: 24, dataType: 'string' },
  'Mikrotik-DHCP-Option-Param-STR2': { code: 25, dataType: 'string' },
  'Mikrotik-Wireless-VLANID': { code: 26, dataType: 'integer' },
  'Mikrotik-Wireless-VLANID-Type': { code: 27, dataType: 'integer', values: mikrotikWirelessVlanIdType },
  'Mikrotik-Wireless-Minsignal': { code: 28, dataType: 'string' },
  'Mikrotik-Wireless-Maxsignal': { code: 29, dataType: 'string' },
  'Mikrotik-Switching-Filter': { code: 30, dataType: 'string' },
} as const satisfies Record<string, AttributeSpec>;

export const microsoftAttributes = {
  'MS-CHAP-Response': { code: 1, dataType: 'octets' },
  'MS-CHAP-Error': { code: 2, dataType: 'string' },
  'MS-CHAP-CPW-1': { code: 3, dataType: 'octets' },
  'MS-CHAP-CPW-2': { code: 4, dataType: 'octets' },
  'MS-CHAP-LM-Enc-PW': { code: 5, dataType: 'octets' },
  'MS-CHAP-NT-Enc-PW': { code: 6, dataType: 'octets' },
  'MS-MPPE-Encryption-Policy': { code: 7, dataType: 'integer', values: msMppeEncryptionPolicy },
  // RFC 2548 §2.4.5: a bit map, 0x2 = 40-bit and 0x4 = 128-bit RC4 allowed (FreeRADIUS' names disagree).
  'MS-MPPE-Encryption-Types': { code: 8, dataType: 'integer' },
  'MS-RAS-Vendor': { code: 9, dataType: 'integer' },
  'MS-CHAP-Domain': { code: 10, dataType: 'string' },
  'MS-CHAP-Challenge': { code: 11, dataType: 'octets' },
  'MS-CHAP-MPPE-Keys': { code: 12, dataType: 'octets' },
  'MS-MPPE-Send-Key': { code: 16, dataType: 'octets', encrypt: 'salted' },
  'MS-MPPE-Recv-Key': { code: 17, dataType: 'octets', encrypt: 'salted' },
  'MS-RAS-Version': { code: 18, dataType: 'string' },
  'MS-CHAP2-Response': { code: 25, dataType: 'octets' },
  'MS-CHAP2-Success': { code: 26, dataType: 'octets' },
  'MS-CHAP2-CPW': { code: 27, dataType: 'octets' },
  'MS-Primary-DNS-Server': { code: 28, dataType: 'ipaddr' },
  'MS-Secondary-DNS-Server': { code: 29, dataType: 'ipaddr' },
  'MS-Primary-NBNS-Server': { code: 30, dataType: 'ipaddr' },
  'MS-Secondary-NBNS-Server': { code: 31, dataType: 'ipaddr' },
} as const satisfies Record<string, AttributeSpec>;
