// The shape of the files in content/. Checked on load; an error names the file, the field and the line.
import { z } from 'zod';

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens (e.g. "the-7-day-return-rule")');

export const sectionRef = z.string().regex(/^\d{1,2}\.\d{1,2}$/, 'a handbook section such as "3.1"');

export const trackSchema = z.strictObject({
  id: slug,
  title: z.string().min(3),
  queue: slug,
  days: z.number().int().min(1).max(366),
  modules: z
    .array(
      z.strictObject({
        id: slug,
        week: z.number().int().min(1),
        title: z.string().min(3),
        summary: z.string().min(10),
        days: z.tuple([z.number().int().min(1), z.number().int().min(1)]),
      }),
    )
    .min(1),
});
export type TrackFile = z.infer<typeof trackSchema>;

export const lessonFrontMatterSchema = z.strictObject({
  id: slug,
  title: z.string().min(3).max(120),
  module: slug,
  day: z.number().int().min(1),
  minutes: z.number().int().min(1).max(240),
  objectives: z.array(z.string().min(5)).min(1).max(8),
  policies: z.array(sectionRef).default([]),
  prerequisites: z.array(slug).default([]),
});
export type LessonFrontMatter = z.infer<typeof lessonFrontMatterSchema>;

export const policyFrontMatterSchema = z.strictObject({
  id: slug,
  number: z.number().int().min(1).max(99),
  title: z.string().min(3),
  summary: z.string().min(10),
});
export type PolicyFrontMatter = z.infer<typeof policyFrontMatterSchema>;
