// With JavaScript, answers are saved shortly after each change (the buttons still work without it).
import { useFetcher } from '@remix-run/react';
import { useEffect, useRef, type FormEvent } from 'react';

type SaveState = { status: 'idle' } | { status: 'saving' } | { status: 'saved'; at: string } | { status: 'error'; message: string };

export function useAutosave(action: string) {
  const fetcher = useFetcher<{ saved?: boolean; savedAt?: string; error?: string }>();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const onChange = (event: FormEvent<HTMLFormElement>) => {
    // A branching choice is committed with its own button: choosing is not yet answering.
    if ((event.target as HTMLInputElement).name?.endsWith('.choice')) return;
    const form = event.currentTarget;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const data = new FormData(form);
      data.delete('intent');
      // Nor does editing another answer commit a choice picked but not yet confirmed.
      for (const key of [...data.keys()]) if (key.endsWith('.choice')) data.delete(key);
      fetcher.submit(data, { method: 'post', action });
    }, 500);
  };

  let state: SaveState = { status: 'idle' };
  if (fetcher.state !== 'idle') state = { status: 'saving' };
  else if (fetcher.data?.error) state = { status: 'error', message: fetcher.data.error };
  else if (fetcher.data?.savedAt) state = { status: 'saved', at: fetcher.data.savedAt };
  return { onChange, state };
}

export function AutosaveStatus({ state }: { state: SaveState }) {
  const text =
    state.status === 'saving'
      ? 'Saving…'
      : state.status === 'saved'
        ? `Saved at ${new Date(state.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`
        : state.status === 'error'
          ? state.message
          : '';
  return (
    <span aria-live="polite" className={`text-sm ${state.status === 'error' ? 'text-red-800' : 'text-slate-700'}`}>
      {text}
    </span>
  );
}
