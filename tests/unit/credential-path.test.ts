// /verify/<id>.json is served by the resource route /verify/<id>/credential: the HTTP layer rewrites it.
import { describe, expect, it } from 'vitest';
import { rewriteCredentialPath } from '~/http.server';

const ID = '6f1c2a9e-4b7d-4c1e-9a3b-2d5e8f0a1b2c';

describe('rewriteCredentialPath', () => {
  it('maps the public JSON address onto the resource route', () => {
    expect(rewriteCredentialPath(`/verify/${ID}.json`)).toBe(`/verify/${ID}/credential`);
  });

  it('keeps the query string', () => {
    expect(rewriteCredentialPath(`/verify/${ID}.json?format=vc&x=1`)).toBe(`/verify/${ID}/credential?format=vc&x=1`);
  });

  it('leaves every other address alone', () => {
    for (const url of [
      `/verify/${ID}`,
      `/verify/${ID}.jsonx`,
      `/verify/${ID}.json/more`,
      `/verify/short.json`,
      `/verify/${'a'.repeat(65)}.json`,
      `/verify/../admin.json`,
      `/verify/a%2Fb-cdefgh.json`,
      `/other/${ID}.json`,
      `/verify/${ID}/credential`,
      `/x?next=/verify/${ID}.json`,
    ]) {
      expect(rewriteCredentialPath(url), url).toBeNull();
    }
  });
});
