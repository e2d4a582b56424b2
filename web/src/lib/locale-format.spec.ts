import { formatMoney } from '@kasi/domain/money';
import { afterEach, describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatDay,
  formatNumber,
  formatTime,
  setTenantFormat,
} from './locale-format.ts';

// 7 December 2026, 11:05 UTC = 14:05 in Nairobi (UTC+3), 12:05 in Kinshasa (UTC+1).
const at = new Date('2026-12-07T11:05:00Z');

describe('locale-format', () => {
  afterEach(() => setTenantFormat({}));

  it('writes day before month in en-KE (07/12/2026, not 12/7/2026)', () => {
    expect(formatDate(at, { locale: 'en-KE', timeZone: 'Africa/Nairobi' })).toBe('07/12/2026');
    expect(formatDate(at, { locale: 'en-US', timeZone: 'Africa/Nairobi' })).toBe('12/07/2026');
  });

  it("uses the tenant's time zone, not the machine's", () => {
    expect(formatTime(at, { locale: 'en-KE', timeZone: 'Africa/Nairobi' })).toMatch(/^(14:05|02:05\s?pm)$/i);
    expect(formatTime(at, { locale: 'fr-CD', timeZone: 'Africa/Kinshasa' })).toBe('12:05');
    // Late evening UTC is already the next day in Nairobi.
    expect(formatDate('2026-12-07T22:30:00Z', { locale: 'en-KE', timeZone: 'Africa/Nairobi' })).toBe(
      '08/12/2026',
    );
  });

  it('formats with the tenant set once, and ignores a bad tag or zone', () => {
    setTenantFormat({ locale: 'sw-KE', timeZone: 'Africa/Nairobi' });
    expect(formatDate(at)).toBe('07/12/2026');
    expect(formatDateTime(at)).toContain('07/12/2026');
    setTenantFormat({ locale: 'not a tag!', timeZone: 'Mars/Olympus' });
    expect(() => formatDate(at)).not.toThrow();
  });

  it('writes a calendar day of the tenant as that day, whatever the zone', () => {
    setTenantFormat({ locale: 'en-KE', timeZone: 'Pacific/Kiritimati' });
    expect(formatDay('2026-12-07')).toBe('07/12/2026');
    setTenantFormat({ locale: 'en-US', timeZone: 'Pacific/Pago_Pago' });
    expect(formatDay('2026-12-07')).toBe('12/07/2026');
    expect(formatDay('not a day')).toBe('not a day');
  });

  it("groups numbers the tenant's way", () => {
    expect(formatNumber(1234567, { locale: 'en-KE' })).toBe('1,234,567');
    // French groups with a narrow no-break space.
    expect(formatNumber(1234567, { locale: 'fr' })).toBe('1\u202f234\u202f567');
    expect(formatNumber(2.5, { locale: 'fr' })).toBe('2,5');
  });

  it('money keeps the currency decimals: KES 2, UGX 0', () => {
    expect(formatMoney({ amountMinor: 123456n, currency: 'KES' })).toBe('1234.56 KES');
    expect(formatMoney({ amountMinor: 1500n, currency: 'UGX' })).toBe('1500 UGX');
  });
});
