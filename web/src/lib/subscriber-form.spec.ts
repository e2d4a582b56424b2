import { describe, expect, it } from 'vitest';
import { emptySubscriberFields, toSubscriberInput, toSubscriberUpdate } from './subscriber-form.ts';

const planId = '3f0c8a52-4a7e-4d59-9b38-1b2a5f0f8e11';

describe('subscriber form', () => {
  it('turns typed text into the shared input: blanks unset, tags split, phone normalised', () => {
    const parsed = toSubscriberInput({
      ...emptySubscriberFields(planId),
      username: 'amina',
      phone: '+254 712 345 678',
      tags: 'Tower-A, vip',
    });
    expect(parsed).toMatchObject({
      ok: true,
      value: {
        username: 'amina',
        password: undefined,
        phone: '+254712345678',
        tags: ['tower-a', 'vip'],
        email: null,
      },
    });
  });

  it('names the wrong fields in plain words', () => {
    const parsed = toSubscriberInput({
      ...emptySubscriberFields(planId),
      username: 'a',
      phone: '0712345678',
      latitude: '-1.2',
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors['username']).toBe('At least 2 characters');
    expect(parsed.errors['phone']).toBe('International format, like +254712345678');
    expect(parsed.errors['longitude']).toBe('Give both coordinates, or neither');
  });

  it('an edit leaves the user name alone', () => {
    const parsed = toSubscriberUpdate(planId, { ...emptySubscriberFields(planId), username: 'ignored' });
    expect(parsed.ok && 'username' in parsed.value).toBe(false);
  });
});
