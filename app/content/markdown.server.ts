// Markdown to HTML that is safe to put in a page: raw HTML in the source is dropped (remark-rehype
// without allowDangerousHtml) and the result is sanitised with GitHub's schema (rehype-sanitize).
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';

/** Bump when the rendering changes, so stored HTML is rebuilt on the next content load. */
export const MARKDOWN_RENDERER_VERSION = 1;

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype)
  .use(rehypeSanitize, { ...defaultSchema, clobberPrefix: 'md-' })
  .use(rehypeStringify);

export function renderMarkdown(markdown: string): string {
  return String(processor.processSync(markdown));
}
