// The machine-readable certificate, served at /verify/<id>.json (http.server.ts rewrites that path here:
// a Remix route cannot end a parameter with a suffix). The signed VC-JWT is what a verifier checks; the
// status says whether the certificate still stands now, which a signature alone cannot tell.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { appOrigin, findCredential, signCredential } from '~/credential.server';
import { db } from '~/db.server';

const headers = { 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' };

export async function loader({ request, params }: LoaderFunctionArgs) {
  // Public, like the verification page: the id is the secret, and nothing private is in the answer.
  const found = await findCredential(db(), { credentialId: params.credentialId, appOrigin: appOrigin(request) });
  if (!found) return Response.json({ error: 'No certificate with this id.' }, { status: 404, headers });
  const jwt = await signCredential(db(), found.credential);
  return Response.json(
    { credentialId: found.certification.credential_id, status: found.status, jwt, credential: found.credential },
    { headers },
  );
}
