// Reading a posted form. A body that is not a form (JSON, plain text, a broken multipart boundary,
// nothing at all) makes Request.formData() throw a TypeError, which would be a 500; it is a bad
// request, said in words.
export const UNREADABLE_FORM = 'The form could not be read: send it as application/x-www-form-urlencoded or multipart/form-data.';

export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw new Response(UNREADABLE_FORM, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
}

/**
 * A form with an upload, read up to `maxBytes` (checked while reading, so a large body is never held
 * whole): 'too-large' beyond it; a body that is not a form is a 400 as in readForm.
 */
export async function readFormWithin(request: Request, maxBytes: number): Promise<FormData | 'too-large'> {
  if (Number(request.headers.get('Content-Length') ?? '0') > maxBytes) return 'too-large';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  for (;;) {
    const chunk = reader ? await reader.read() : { done: true as const, value: undefined };
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      await reader?.cancel();
      return 'too-large';
    }
    chunks.push(chunk.value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return readForm(new Request(request.url, { method: 'POST', body, headers: { 'Content-Type': request.headers.get('Content-Type') ?? '' } }));
}
