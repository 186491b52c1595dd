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
