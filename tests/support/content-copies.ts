// Throw-away copies of the shipped content/ for tests that edit files, removed after the test file.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { CONTENT_DIR, TMP } from './paths';

/** Call at the top of a test file; returns a function that makes one more copy. */
export function contentCopies(): () => string {
  const copies: string[] = [];
  afterAll(() => {
    for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = path.join(TMP, `content-${randomUUID()}`);
    fs.cpSync(CONTENT_DIR, dir, { recursive: true });
    copies.push(dir);
    return dir;
  };
}
