import { describe, expect, it } from 'vitest';
import { fillRouterVariables, octalEscape } from './router-variables.ts';

describe('filling a hotspot page as RouterOS does', () => {
  it('replaces variables and URL-encodes the -esc forms', () => {
    const { html, missing } = fillRouterVariables('<a href="x?m=$(mac-esc)">$(mac)</a>', {
      mac: 'AA:BB:CC:00:11:22',
    });
    expect(html).toBe('<a href="x?m=AA%3ABB%3ACC%3A00%3A11%3A22">AA:BB:CC:00:11:22</a>');
    expect(missing).toEqual([]);
  });

  it('keeps one branch of if/elif/else, nested, with == comparisons', () => {
    const page = '$(if chap-id)C$(if error)E$(else)N$(endif)$(elif trial == yes)T$(else)P$(endif)';
    expect(fillRouterVariables(page, { 'chap-id': '\\001', error: '' }).html).toBe('CN');
    expect(fillRouterVariables(page, { 'chap-id': '', trial: 'yes' }).html).toBe('T');
    expect(fillRouterVariables(page, { 'chap-id': '', trial: 'no' }).html).toBe('P');
  });

  it('renders a page with a missing variable and reports it', () => {
    const { html, missing } = fillRouterVariables('<p>$(ip) on $(identity)</p>', { ip: '10.5.50.9' });
    expect(html).toBe('<p>10.5.50.9 on </p>');
    expect(missing).toEqual(['identity']);
  });

  it('writes bytes as octal escapes, as the router fills chap-challenge', () => {
    expect(octalEscape(Uint8Array.from([0, 8, 255]))).toBe('\\000\\010\\377');
  });
});
