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
