// A counter that changes whenever content in the database changes, so in-memory copies of content
// (e.g. the track outline) know when to reload. On globalThis: the server entry and the Remix build
// are separate module graphs in one process.
const store = globalThis as typeof globalThis & { __frontlineContentVersion?: number };

export function contentVersion(): number {
  return store.__frontlineContentVersion ?? 0;
}

export function bumpContentVersion(): void {
  store.__frontlineContentVersion = contentVersion() + 1;
}
