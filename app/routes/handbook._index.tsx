import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireUser } from '~/auth.server';
import { db } from '~/db.server';
import { listHandbook } from '~/models/handbook.server';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return { documents: await listHandbook(db()) };
}

export default function Handbook() {
  const { documents } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1 className="mb-2 text-3xl font-bold">Support handbook</h1>
      <p className="mb-6 text-slate-700">Marketlane's policies for the returns and refunds queue. Lessons and case files cite these sections by number.</p>
      {documents.length === 0 ? <p>The handbook has not been loaded yet.</p> : null}
      <div className="grid gap-4 md:grid-cols-2">
        {documents.map((d) => (
          <section key={d.id} className="rounded bg-white p-5 shadow" aria-labelledby={`doc-${d.id}`}>
            <h2 id={`doc-${d.id}`} className="font-semibold">
              <Link to={`/handbook/${d.id}`}>
                §{d.number} {d.title}
              </Link>
            </h2>
            <p className="mb-2 text-sm text-slate-700">{d.summary}</p>
            <ul className="text-sm">
              {d.sections.map((s) => (
                <li key={s.ref}>
                  <Link to={`/handbook/${d.id}#${s.anchor}`}>
                    §{s.ref} {s.title}
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Handbook · Frontline' }];
