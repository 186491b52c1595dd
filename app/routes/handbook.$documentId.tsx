import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { requireUser } from '~/auth.server';
import { db } from '~/db.server';
import { getHandbookDocument } from '~/models/handbook.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const document = await getHandbookDocument(db(), { documentId: params.documentId ?? '' });
  if (!document) throw new Response('There is no such part of the handbook.', { status: 404 });
  return { document };
}

export default function HandbookDocument() {
  const { document } = useLoaderData<typeof loader>();
  return (
    <article className="mx-auto max-w-3xl">
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link to="/handbook">Handbook</Link>
      </nav>
      <h1 className="mb-2 text-3xl font-bold">
        §{document.number} {document.title}
      </h1>
      {/* Markdown rendered at content load, raw HTML dropped and sanitised. */}
      <div className="prose-content" dangerouslySetInnerHTML={{ __html: document.body_html }} />
      <nav aria-label="Sections" className="my-6 rounded bg-white p-4 shadow">
        <h2 className="mb-1 font-semibold">Sections</h2>
        <ul>
          {document.sections.map((s) => (
            <li key={s.ref}>
              <a href={`#${s.anchor}`}>
                §{s.ref} {s.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {document.sections.map((s) => (
        <section key={s.ref} id={s.anchor} aria-labelledby={`${s.anchor}-heading`} className="scroll-mt-4">
          <h2 id={`${s.anchor}-heading`} className="mt-8 mb-2 text-xl font-semibold">
            §{s.ref} {s.title}
          </h2>
          <div className="prose-content" dangerouslySetInnerHTML={{ __html: s.body_html }} />
        </section>
      ))}
    </article>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.document.title ?? 'Handbook'} · Frontline` }];
