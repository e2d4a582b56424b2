import { describe, expect, it } from 'vitest';
import { decodeSvgQr } from '../../../test/support/qr-svg.ts';
import { agentAppUrl, qrSvg } from './agent-app-qr.ts';

describe('the agent app QR', () => {
  it('is the console origin + /agent', () => {
    expect(agentAppUrl('https://isp.example.co.ke')).toBe('https://isp.example.co.ke/agent');
    expect(agentAppUrl('http://192.168.88.10:8080')).toBe('http://192.168.88.10:8080/agent');
  });

  it('decodes (with a decoder independent of the generator) to exactly the agent app address', async () => {
    for (const origin of ['https://isp.example.co.ke', 'http://192.168.88.10:8080']) {
      const url = agentAppUrl(origin);
      const svg = await qrSvg(url);
      expect(svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
      expect(decodeSvgQr(svg)).toBe(url);
    }
  });

  it('the reader is not fooled: another address does not decode to this one', async () => {
    const svg = await qrSvg(agentAppUrl('https://other.example'));
    expect(decodeSvgQr(svg)).toBe('https://other.example/agent');
    expect(() => decodeSvgQr('<svg></svg>')).toThrow(/not a qrcode SVG/);
  });
});
