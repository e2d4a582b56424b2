import { describe, expect, it } from 'vitest';
import { brandColour, brandLogo, checkLogo, LOGO_MAX_SIDE } from './brand-logo.ts';
import { dataUrl, solidPng } from './png.testing.ts';

const refusal = (message: RegExp) => ({
  code: 'TENANT.BAD_LOGO',
  details: { field: 'logo' },
  message: expect.stringMatching(message),
});

describe('the logo check', () => {
  it('takes a real PNG and reports its size', async () => {
    const logo = await checkLogo(dataUrl('image/png', solidPng(40, 20)));
    expect(logo).toMatchObject({ mime: 'image/png', width: 40, height: 20 });
    expect(logo.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('refuses bytes that are not the image the address says', async () => {
    // A PNG sent as JPEG, text sent as PNG.
    await expect(checkLogo(dataUrl('image/jpeg', solidPng(20, 20)))).rejects.toMatchObject(
      refusal(/not a JPEG/),
    );
    await expect(checkLogo(dataUrl('image/png', Buffer.from('<svg onload=alert(1)>')))).rejects.toMatchObject(
      refusal(/not a PNG/),
    );
  });

  it('refuses a PNG that cannot be read past its signature', async () => {
    const broken = Buffer.concat([solidPng(20, 20).subarray(0, 8), Buffer.from('garbage that is no chunk')]);
    await expect(checkLogo(dataUrl('image/png', broken))).rejects.toMatchObject(refusal(/cannot be read/));
  });

  it('refuses WebP and SVG (a PDF card cannot draw them) and anything over the size limit', async () => {
    await expect(checkLogo('data:image/webp;base64,UklGRg==')).rejects.toMatchObject(refusal(/PNG or JPEG/));
    await expect(checkLogo('data:image/svg+xml;base64,PHN2Zz4=')).rejects.toMatchObject(
      refusal(/PNG or JPEG/),
    );
    await expect(checkLogo(dataUrl('image/png', solidPng(LOGO_MAX_SIDE + 1, 1)))).rejects.toMatchObject(
      refusal(/2048 pixels or smaller/),
    );
  });

  it('for drawing: a saved logo that no longer passes is left out, not an error', async () => {
    expect(await brandLogo(null)).toBeNull();
    expect(await brandLogo('data:image/webp;base64,UklGRg==')).toBeNull();
    expect(await brandLogo(dataUrl('image/png', solidPng(16, 16)))).toMatchObject({ width: 16 });
    expect(brandColour('#0B5CAD')).toBe('#0B5CAD');
    expect(brandColour('red;}body{display:none')).toBeNull();
    expect(brandColour(null)).toBeNull();
  });
});
