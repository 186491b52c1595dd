// The time left, counted down with JavaScript from the server's deadline (corrected for the
// difference between the server's clock and this device's). Without JavaScript the page prints the
// end time instead; the server enforces the deadline either way.
import { useEffect, useState } from 'react';

function format(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

export function Countdown({ deadline, serverNow, endsAt, onExpired }: { deadline: string; serverNow: string; endsAt: string; onExpired: () => void }) {
  const [left, setLeft] = useState<number | null>(null);
  useEffect(() => {
    const skew = Date.parse(serverNow) - Date.now();
    const end = Date.parse(deadline);
    let fired = false;
    const tick = () => {
      const remaining = end - (Date.now() + skew);
      setLeft(remaining);
      if (remaining <= 0 && !fired) {
        fired = true;
        onExpired();
      }
    };
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [deadline, serverNow, onExpired]);

  const low = left !== null && left <= 5 * 60_000;
  return (
    <p className={`rounded px-3 py-2 font-semibold ${low ? 'bg-amber-100 text-amber-900' : 'bg-slate-100 text-slate-900'}`}>
      {left === null ? (
        <>Ends at {endsAt}</>
      ) : (
        <>
          <span>Time left: </span>
          <span className="font-mono">{format(left)}</span>
          <span className="sr-only"> (ends at {endsAt})</span>
        </>
      )}
      {/* Announced to screen readers at 5 minutes and at the end, not every second. */}
      <span className="sr-only" aria-live="assertive">
        {left !== null && left <= 0 ? 'Time is up.' : low ? 'Five minutes or less left.' : ''}
      </span>
    </p>
  );
}
