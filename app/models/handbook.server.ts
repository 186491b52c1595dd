import type { Executor } from '~db/connect';

export async function listHandbook(db: Executor) {
  const [documents, sections] = await Promise.all([
    db.selectFrom('policy_documents').select(['id', 'number', 'title', 'summary']).orderBy('number').execute(),
    db.selectFrom('policy_sections').select(['ref', 'document_id', 'title', 'anchor']).orderBy('document_id').orderBy('position').execute(),
  ]);
  return documents.map((d) => ({ ...d, sections: sections.filter((s) => s.document_id === d.id) }));
}

export async function getHandbookDocument(db: Executor, args: { documentId: string }) {
  const document = await db
    .selectFrom('policy_documents')
    .select(['id', 'number', 'title', 'summary', 'body_html'])
    .where('id', '=', args.documentId)
    .executeTakeFirst();
  if (!document) return null;
  const sections = await db
    .selectFrom('policy_sections')
    .select(['ref', 'title', 'anchor', 'body_html'])
    .where('document_id', '=', document.id)
    .orderBy('position')
    .execute();
  return { ...document, sections };
}

export interface SectionLink {
  ref: string;
  title: string;
  href: string;
}

/** Links to handbook sections by reference ("3.1"), in the order asked; unknown references are left out. */
export async function sectionLinks(db: Executor, refs: readonly string[]): Promise<SectionLink[]> {
  if (refs.length === 0) return [];
  const sections = await db
    .selectFrom('policy_sections')
    .select(['ref', 'title', 'anchor', 'document_id'])
    .where('ref', 'in', [...new Set(refs)])
    .execute();
  const byRef = new Map(sections.map((s) => [s.ref, s]));
  return [...new Set(refs)].flatMap((ref) => {
    const s = byRef.get(ref);
    return s ? [{ ref, title: s.title, href: `/handbook/${s.document_id}#${s.anchor}` }] : [];
  });
}
