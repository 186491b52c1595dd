import { sql } from 'kysely';
import { db } from '~/db.server';

export async function loader() {
  // Public: used by load balancers and monitors; says nothing but whether the database answers.
  try {
    await sql`select 1`.execute(db());
    return Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } });
  } catch {
    return Response.json({ status: 'unavailable' }, { status: 503, headers: { 'Cache-Control': 'no-store' } });
  }
}
