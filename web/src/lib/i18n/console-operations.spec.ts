// The console's operations pages (vouchers, plans, routers, agents, sales, SMS) in Swahili and
// French: the helpers that put counts and states into words read the language when they are
// called (a change of language needs no reload), and counts take the plural form of each
// language — French says "0 code" and "1 code", Swahili "msimbo 1" but "misimbo 2".
import { afterEach, describe, expect, it } from 'vitest';
import { getLocale, overwriteGetLocale, type Locale } from '#lib/paraglide/runtime.js';
import { describeExtension } from '../../routes/(app)/vouchers/[batchId]/batch-outcome.ts';
import { describeLease, DEVICE_STATUS, lockNotice } from '../agent-admin-view.ts';
import { forecastSafety } from '../change-plan-view.ts';
import { describePlanOutcome, formatPlanStatus } from '../router-format.ts';
import { smsBadge } from '../sms-view.ts';
import { describeCodeAction, figureList, formatChannel, formatVoucherState } from '../voucher-state.ts';
import { m } from './locale.ts';

const resolved = getLocale;
const speak = (locale: Locale) => overwriteGetLocale(() => locale);
afterEach(() => overwriteGetLocale(resolved));

const noFigures = {
  total: 0,
  inStock: 0,
  printed: 0,
  withAgents: 0,
  heldForTests: 0,
  sold: 0,
  testLogins: 0,
  inUse: 0,
  usedUp: 0,
  expired: 0,
  void: 0,
  locked: 0,
};

describe('console operations pages in three languages', () => {
  it('counts codes with each language’s plural rules', () => {
    expect([0, 1, 2].map((count) => m.console_vouchers_codes({ count }, { locale: 'en' }))).toEqual([
      '0 codes',
      '1 code',
      '2 codes',
    ]);
    expect([0, 1, 2].map((count) => m.console_vouchers_codes({ count }, { locale: 'fr' }))).toEqual([
      '0 code',
      '1 code',
      '2 codes',
    ]);
    expect([0, 1, 2].map((count) => m.console_vouchers_codes({ count }, { locale: 'sw' }))).toEqual([
      'misimbo 0',
      'msimbo 1',
      'misimbo 2',
    ]);
  });

  it('says what Lock did in the language of the moment, not the one at start', () => {
    expect(describeCodeAction('lock', 3, { changed: 1 })).toBe('Locked 1 code. 2 codes already locked.');
    speak('fr');
    expect(describeCodeAction('lock', 3, { changed: 1 })).toBe('1 code bloqué. 2 codes déjà bloqués.');
    speak('sw');
    expect(describeCodeAction('void', 1, { changed: 1 })).toBe('Msimbo 1 umebatilishwa.');
  });

  it('names code states, channels and figures in Swahili and French', () => {
    speak('sw');
    expect(formatVoucherState('exhausted')).toBe('Imetumika kikamilifu');
    expect(formatChannel({ channel: 'printed', printRun: 2, soldAt: null })).toBe(
      'Imechapishwa · chapisho 2',
    );
    expect(figureList(noFigures)[0]?.label).toBe('Akibani');
    speak('fr');
    expect(formatVoucherState('locked')).toBe('Bloqué');
    expect(figureList(noFigures).map((f) => f.label)).toContain('Chez les agents');
  });

  it('describes a batch extension with its days and codes in French', () => {
    speak('fr');
    const text = describeExtension(
      { extended: 1, notStarted: 0, unlimited: 0, skipped: { void: 2, locked: 0, expired: 1, exhausted: 0 } },
      1,
    );
    expect(text).toBe(
      'Validité prolongée de 1 jour pour 1 code. Laissés tels quels : 2 annulés, 1 déjà expiré.',
    );
  });

  it('words change plans, safe mode and kick outcomes in Swahili', () => {
    speak('sw');
    expect(formatPlanStatus('pending')).toBe('Inasubiri idhini');
    expect(describePlanOutcome('aborted')).toBe('Hakuna kilichobadilishwa kwenye ruta.');
    expect(forecastSafety(3, '7.18').summary).toBe('Katika hali salama ya RouterOS');
  });

  it('words phones, leases and stock locks in French and Swahili', () => {
    speak('fr');
    expect(DEVICE_STATUS.lost.label).toBe('Perdu');
    expect(lockNotice(1)).toBe(
      'Son code invendu sera bloqué dans RADIUS immédiatement : personne ne pourra se connecter avec.',
    );
    expect(lockNotice(3)).toContain('Ses 3 codes invendus seront bloqués');
    const lease = { lease: { deviceId: 'd1', count: 5, revokedAt: null }, sold: 2, locked: 0 };
    expect(describeLease(lease)).toBe('5 codes · 2 vendus · 3 à vendre');
    speak('sw');
    expect(describeLease(lease)).toBe('misimbo 5 · 2 zimeuzwa · 3 za kuuza');
    expect(DEVICE_STATUS.pending.label).toBe('Inasubiri idhini');
  });

  it('names SMS statuses in Swahili', () => {
    speak('sw');
    expect(smsBadge('delivered')).toEqual({ label: 'Imefika', tone: 'ok' });
    expect(smsBadge('queued').label).toBe('Kwenye foleni');
  });
});
