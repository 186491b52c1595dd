// With JavaScript, an exam answer is saved shortly after each change. Each save carries the item's
// save count; the reply gives the new one, kept in the form's hidden `seq` field so the next save
// (or the page's own buttons) builds on it. Saves go one at a time, in order.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';

export type ExamSaveState = { status: 'idle' } | { status: 'saving' } | { status: 'saved'; at: string } | { status: 'error'; message: string };

export function useExamAutosave(action: string) {
  const [state, setState] = useState<ExamSaveState>({ status: 'idle' });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const chain = useRef<Promise<void>>(Promise.resolve());
  useEffect(() => () => clearTimeout(timer.current), []);

  const save = useCallback(
    (form: HTMLFormElement) => {
      chain.current = chain.current.then(async () => {
        const data = new FormData(form);
        data.delete('intent');
        data.delete('go');
        data.delete('flag');
        // A branching choice is committed with its own button: choosing is not yet answering.
        for (const key of [...data.keys()]) if (key.endsWith('.choice')) data.delete(key);
        setState({ status: 'saving' });
        try {
          const response = await fetch(action, { method: 'POST', body: data, headers: { Accept: 'application/json' } });
          const body = (await response.json()) as { saved?: boolean; savedAt?: string; seq?: number; error?: string };
          if (response.ok && typeof body.seq === 'number') {
            const seq = form.elements.namedItem('seq');
            if (seq instanceof HTMLInputElement) seq.value = String(body.seq);
            setState({ status: 'saved', at: body.savedAt ?? new Date().toISOString() });
          } else {
            setState({ status: 'error', message: body.error ?? 'Not saved. Check your connection; the buttons below save too.' });
          }
        } catch {
          setState({ status: 'error', message: 'Not saved: the server could not be reached. Your answer is still on this page; try again.' });
        }
      });
    },
    [action],
  );

  const onChange = (event: FormEvent<HTMLFormElement>) => {
    if ((event.target as HTMLInputElement).name?.endsWith('.choice')) return;
    const form = event.currentTarget;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => save(form), 400);
  };

  /** Drops a save not yet sent and waits for those in flight (before the page's own buttons submit the form). */
  const settled = () => {
    clearTimeout(timer.current);
    return chain.current;
  };
  return { onChange, state, settled };
}
