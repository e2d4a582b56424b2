import { describe, expect, it } from 'vitest';
import { auditFilters, auditObjectHref, summariseAudit, type AuditCheck } from './audit-view.ts';

const intact: AuditCheck = {
  intact: true,
  rows: 12,
  legacyRows: 0,
  lastSeq: 12n,
  headSeq: 12n,
  firstBad: null,
  headFileFound: true,
  unreadableHeadLines: 0,
};

describe('audit view', () => {
  it('says intact when every row checks out against the exported head', () => {
    expect(summariseAudit(intact)).toMatchObject({ tone: 'ok', headline: 'Intact', row: null });
  });

  it('names the first bad row and what happened to it', () => {
    const s = summariseAudit({
      ...intact,
      intact: false,
      firstBad: { id: 1234n, seq: 7n, kind: 'edited', detail: 'its MAC does not match its columns' },
    });
    expect(s).toMatchObject({ tone: 'danger', headline: 'Not intact: changed after it was written' });
    expect(s.row).toBe('Row 1234 (number 7 in the chain)');
  });

  it('names a deleted newest row by its place in the chain', () => {
    const s = summariseAudit({
      ...intact,
      intact: false,
      lastSeq: 10n,
      firstBad: { id: null, seq: 11n, kind: 'truncated', detail: '' },
    });
    expect(s).toMatchObject({
      headline: 'Not intact: newest rows deleted',
      row: 'Row number 11 in the chain (deleted)',
    });
  });

  it('warns when no head file exists, and counts older unkeyed rows', () => {
    const s = summariseAudit({ ...intact, headSeq: null, headFileFound: false, legacyRows: 3 });
    expect(s.tone).toBe('warn');
    expect(s.facts).toContainEqual({ label: 'Older unkeyed rows', value: '3' });
  });
});

describe('audit rows link to their object', () => {
  const id = '0b6c7f1e-3c2a-4d8e-9f00-1234567890ab';
  it('opens the object’s page when the row names one', () => {
    expect(auditObjectHref({ entityType: 'voucher', entityId: id })).toBe(`/vouchers/code/${id}`);
    expect(auditObjectHref({ entityType: 'voucher_batch', entityId: id })).toBe(`/vouchers/${id}`);
    expect(auditObjectHref({ entityType: 'subscriber', entityId: id })).toBe(`/subscribers/${id}`);
    expect(auditObjectHref({ entityType: 'invoice', entityId: id })).toBe(`/billing/invoices/${id}`);
  });
  it('falls back to the list, or to nothing for objects without a page', () => {
    expect(auditObjectHref({ entityType: 'subscriber', entityId: null })).toBe('/subscribers');
    expect(auditObjectHref({ entityType: 'voucher', entityId: null })).toBeNull();
    expect(auditObjectHref({ entityType: 'radius_session', entityId: '42' })).toBe('/online');
    expect(auditObjectHref({ entityType: 'payment_event', entityId: id })).toBeNull();
  });
  it('reads the filters from the address, leaving empty ones out', () => {
    const p = new URLSearchParams({ person: ' ops@ ', action: '', fromDay: '2026-12-07' });
    expect(auditFilters(p)).toEqual({ person: 'ops@', fromDay: '2026-12-07' });
  });
});
