// Reading a case's answers from its form. Field names: `item.<id>` (single choice, multiple choice,
// written reply), `item.<id>.<stepId>` (ordering: the position given to a step),
// `item.<id>.<evidenceId>` (matching: the conclusion chosen), `item.<id>.choice` (branching: the
// choice at the current step). `present` lists the items the form showed, so an empty set of
// checkboxes is read as "none chosen" rather than "not on this form".
import type { PublicItem } from '~/domain/presentation';

export function responsesFromForm(
  items: readonly PublicItem[],
  formData: FormData,
  saved: ReadonlyMap<string, unknown>,
): Record<string, unknown> {
  const present = new Set(formData.getAll('present').map(String));
  const responses: Record<string, unknown> = {};
  for (const item of items) {
    if (!present.has(item.id)) continue;
    const field = `item.${item.id}`;
    switch (item.type) {
      case 'single': {
        const optionId = formData.get(field);
        if (typeof optionId === 'string' && optionId) responses[item.id] = { optionId };
        break;
      }
      case 'multiple':
        responses[item.id] = { optionIds: formData.getAll(field).map(String) };
        break;
      case 'ordering': {
        const positions = item.steps.map((step, shown) => ({ id: step.id, shown, position: Number(formData.get(`${field}.${step.id}`) || NaN) }));
        if (positions.every((p) => Number.isNaN(p.position))) break;
        if (positions.some((p) => Number.isNaN(p.position))) break; // keep the last complete order until every step has a place
        positions.sort((a, b) => a.position - b.position || a.shown - b.shown);
        responses[item.id] = { order: positions.map((p) => p.id) };
        break;
      }
      case 'matching': {
        const matches: Record<string, string> = {};
        for (const evidence of item.evidence) matches[evidence.id] = String(formData.get(`${field}.${evidence.id}`) ?? '');
        responses[item.id] = { matches };
        break;
      }
      case 'written': {
        const text = formData.get(field);
        if (typeof text === 'string') responses[item.id] = { text: text.slice(0, 5000) };
        break;
      }
      case 'branching': {
        const optionId = formData.get(`${field}.choice`);
        if (typeof optionId !== 'string' || !optionId || !item.current) break;
        const previous = (saved.get(item.id) as { path?: { stepId: string; optionId: string }[] } | null)?.path ?? [];
        responses[item.id] = { path: [...previous, { stepId: item.current.id, optionId }] };
        break;
      }
    }
  }
  return responses;
}
