// Values computed once per HTTP request and shared by every loader of that request (Remix calls the
// root loader and the route loader separately, each with its own copy of the Request).
// The scope lives on globalThis because the HTTP server (run by tsx) and the Remix build are
// separate module graphs in one process.
import { AsyncLocalStorage } from 'node:async_hooks';

type Scope = Map<string, unknown>;
const store = globalThis as typeof globalThis & { __frontlineRequestScope?: AsyncLocalStorage<Scope> };
store.__frontlineRequestScope ??= new AsyncLocalStorage<Scope>();
const scope = store.__frontlineRequestScope;

/** Runs `handle` with a fresh per-request scope. */
export function runInRequestScope<T>(handle: () => T): T {
  return scope.run(new Map(), handle);
}

/** `compute()` once per request and key; outside a request scope (tests, CLI) every call computes. */
export function oncePerRequest<T>(key: string, compute: () => T): T {
  const current = scope.getStore();
  if (!current) return compute();
  if (!current.has(key)) current.set(key, compute());
  return current.get(key) as T;
}

/** Whether the code runs on behalf of an HTTP request (as opposed to a background job or the CLI). */
export function inRequestScope(): boolean {
  return scope.getStore() !== undefined;
}
