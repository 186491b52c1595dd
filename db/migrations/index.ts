// Every migration, by name. Listed statically so the same code runs from tsx, the Vite build and tests.
import type { Migration, MigrationProvider } from 'kysely';
import * as foundation from './2026-11-24-01-foundation';
import * as scenarios from './2026-11-24-02-scenarios-and-attempts';
import * as exams from './2026-11-24-03-exams-and-certifications';
import * as managerView from './2026-11-24-04-manager-view';
import * as studio from './2026-11-24-05-studio';

const migrations: Record<string, Migration> = {
  '2026-11-24-01-foundation': foundation,
  '2026-11-24-02-scenarios-and-attempts': scenarios,
  '2026-11-24-03-exams-and-certifications': exams,
  '2026-11-24-04-manager-view': managerView,
  '2026-11-24-05-studio': studio,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
