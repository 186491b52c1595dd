// Reading YAML content files so that every error can name the file, the field and the line.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';

export interface ContentError {
  /** Path relative to the content directory. */
  file: string;
  field: string | null;
  line: number | null;
  message: string;
}

export function formatContentError(e: ContentError): string {
  const where = [e.file, e.line ? `line ${e.line}` : null].filter(Boolean).join(':').replace(':line ', ':');
  return `${where}${e.field ? ` (${e.field})` : ''}: ${e.message}`;
}

/** A YAML text, with a way back from a field path to the line it is on. */
export interface YamlSource {
  file: string;
  doc: Document;
  lines: LineCounter;
  /** Lines before the YAML text in its file (front matter starts after a "---" line). */
  lineOffset: number;
}

export function parseYaml(file: string, text: string, lineOffset: number, errors: ContentError[]): YamlSource | null {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      errors.push({ file, field: null, line: lines.linePos(err.pos[0]).line + lineOffset, message: `invalid YAML: ${err.message.split('\n')[0]}` });
    }
    return null;
  }
  return { file, doc, lines, lineOffset };
}

export function fieldName(pathParts: readonly PropertyKey[]): string | null {
  if (pathParts.length === 0) return null;
  return pathParts.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

/** The line of the deepest node on `pathParts` that exists in the YAML. */
export function lineOf(source: YamlSource, pathParts: readonly PropertyKey[]): number {
  for (let n = pathParts.length; n >= 0; n--) {
    const keys = pathParts.slice(0, n).map((p) => (typeof p === 'symbol' ? String(p) : p));
    const node = n === 0 ? source.doc.contents : source.doc.getIn(keys, true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return source.lines.linePos(range[0]).line + source.lineOffset;
  }
  return 1 + source.lineOffset;
}

export function validate<S extends z.ZodType>(schema: S, source: YamlSource, errors: ContentError[]): z.infer<S> | null {
  const result = schema.safeParse(source.doc.toJS());
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      // zod reports unknown keys on the object that holds them; point at each key (usually a typo) instead.
      for (const key of issue.keys) {
        const keyPath = [...issue.path, key];
        errors.push({ file: source.file, field: fieldName(keyPath), line: lineOf(source, keyPath), message: `unknown field "${key}"` });
      }
      continue;
    }
    errors.push({ file: source.file, field: fieldName(issue.path), line: lineOf(source, issue.path), message: issue.message });
  }
  return null;
}

export function sha256(...parts: (string | number)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(String(p)).update('\0');
  return h.digest('hex');
}

export function listFiles(dir: string, extension: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(extension))
    .map((f) => path.join(dir, f))
    .sort();
}

