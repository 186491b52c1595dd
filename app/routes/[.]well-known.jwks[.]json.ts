// The public keys that sign certificates (JWKS), for anyone verifying a credential's JWT.
import { db } from '~/db.server';
import { publicJwks } from '~/models/signing-key.server';

export async function loader() {
  // Public: public keys only.
  return Response.json(await publicJwks(db()), {
    headers: { 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' },
  });
}
