// The GSM-7 rules live in @kasi/domain (the console's template preview counts segments too).
export { gsm7Segments, smsTextInfo, toGsm7 } from '@kasi/domain';
