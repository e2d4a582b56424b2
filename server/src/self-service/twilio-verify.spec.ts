import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { otpVerifyFrom, twilioVerify } from './twilio-verify.ts';
import {
  startVerifyFake,
  VERIFY_TEST_ACCOUNT,
  VERIFY_TEST_SERVICE,
  type VerifyFake,
} from './twilio-verify.testing.ts';

let fake: VerifyFake;
beforeAll(async () => {
  fake = await startVerifyFake();
});
afterAll(() => fake.close());

const config = { ...VERIFY_TEST_ACCOUNT, serviceSid: VERIFY_TEST_SERVICE };

describe('Twilio Verify adapter', () => {
  it('starts an SMS verification and approves only the right code, once', async () => {
    const verify = twilioVerify({ ...config, apiUrl: fake.url });
    await verify.start('+254712000222');
    const code = fake.codeFor('+254712000222')!;
    expect(code).toMatch(/^\d{6}$/);
    expect(await verify.check('+254712000222', code === '000000' ? '111111' : '000000')).toBe(false);
    expect(await verify.check('+254712000222', code)).toBe(true);
    // Approved already: Twilio answers 404, which is a refusal, not an outage.
    expect(await verify.check('+254712000222', code)).toBe(false);
  });

  it('reports refused credentials as the provider being unavailable', async () => {
    const verify = twilioVerify({ ...config, authToken: 'wrong', apiUrl: fake.url });
    await expect(verify.start('+254712000223')).rejects.toMatchObject({
      code: 'OTP.PROVIDER',
      kind: 'unavailable',
    });
  });
});

describe('Twilio Verify from the configuration', () => {
  const twilioEnv = {
    KASI_TWILIO_ACCOUNT_SID: VERIFY_TEST_ACCOUNT.accountSid,
    KASI_TWILIO_AUTH_TOKEN: VERIFY_TEST_ACCOUNT.authToken,
    KASI_TWILIO_FROM: '+15005550006',
  };

  it('is off unless a Verify service is named', () => {
    expect(loadConfig(twilioEnv).sms.verify).toBeNull();
    expect(otpVerifyFrom(loadConfig(twilioEnv).sms)).toBeNull();
  });

  it('uses the Twilio account and the named service at KASI_TWILIO_VERIFY_API_URL', async () => {
    const c = loadConfig({
      ...twilioEnv,
      KASI_TWILIO_VERIFY_SERVICE_SID: VERIFY_TEST_SERVICE,
      KASI_TWILIO_VERIFY_API_URL: `${fake.url}/`,
    });
    expect(c.sms.verify).toEqual({ ...config, apiUrl: fake.url });
    await otpVerifyFrom(c.sms)!.start('+254712000224');
    expect(fake.requests.at(-1)).toEqual({
      path: `/v2/Services/${VERIFY_TEST_SERVICE}/Verifications`,
      form: { To: '+254712000224', Channel: 'sms' },
    });
  });

  it('refuses a Verify service without the Twilio account, and a malformed service id', () => {
    expect(() => loadConfig({ KASI_TWILIO_VERIFY_SERVICE_SID: VERIFY_TEST_SERVICE })).toThrow(
      /KASI_TWILIO_VERIFY_SERVICE_SID needs the Twilio account/,
    );
    expect(() => loadConfig({ ...twilioEnv, KASI_TWILIO_VERIFY_SERVICE_SID: 'VA123' })).toThrow(
      /Verify service SID/,
    );
  });
});
