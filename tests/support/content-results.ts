// Unwrapping loadContent results in tests, with the errors shown when the expectation is wrong.
import { formatContentError, type ContentError, type ContentResult, type ParsedContent } from '~/content/load.server';

export function expectOk(result: ContentResult): ParsedContent {
  if (!result.ok) throw new Error(`expected the content to load, got:\n${result.errors.map(formatContentError).join('\n')}`);
  return result.content;
}

export function errorsOf(result: ContentResult): ContentError[] {
  if (result.ok) throw new Error('expected the content to be refused, but it loaded');
  return result.errors;
}
