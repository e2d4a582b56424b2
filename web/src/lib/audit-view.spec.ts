import { describe, expect, it } from 'vitest';
import { summariseAudit, type AuditCheck } from './audit-view.ts';

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
