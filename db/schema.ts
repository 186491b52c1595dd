// The database, as Kysely sees it. Written by hand alongside the migrations in ./migrations.
// Timestamps are ISO-8601 UTC strings (new Date().toISOString()); dates are YYYY-MM-DD strings;
// JSON columns hold text that app/models parse; booleans would be 0/1 (see app/models/sql.server.ts).
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export const ROLES = ['learner', 'trainer', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles in their canonical order (learner, trainer, manager, admin), without repeats. */
export function sortRoles(roles: readonly Role[]): Role[] {
  return ROLES.filter((r) => roles.includes(r));
}
export type UserStatus = 'active' | 'disabled';

export interface InstanceTable {
  id: number;
  setup_completed_at: string;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string;
  status: UserStatus;
  created_at: string;
  updated_at: string;
  /** Refreshed with the session, at most once a minute: the manager view's "last activity". */
  last_active_at: string | null;
}

export interface UserRolesTable {
  user_id: number;
  role: Role;
}

export interface SessionsTable {
  id_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
}

export interface CohortsTable {
  id: Generated<number>;
  name: string;
  start_date: string;
  time_zone: string;
  created_at: string;
}

export interface CohortManagersTable {
  cohort_id: number;
  user_id: number;
}

export interface InvitationsTable {
  id: Generated<number>;
  token_hash: string;
  email: string;
  name: string;
  /** JSON array of Role */
  roles: string;
  cohort_id: number | null;
  created_by: number | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}

export interface PasswordResetsTable {
  id: Generated<number>;
  token_hash: string;
  user_id: number;
  created_by: number | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface TracksTable {
  id: string;
  title: string;
  queue: string;
  days: number;
  content_hash: string;
  updated_at: string;
}

export interface ModulesTable {
  id: string;
  track_id: string;
  week: number;
  title: string;
  summary: string;
  first_day: number;
  last_day: number;
  content_hash: string;
}

export interface LessonsTable {
  id: string;
  track_id: string;
  module_id: string;
  title: string;
  day: number;
  position: number;
  minutes: number;
  /** JSON array of strings */
  objectives: string;
  /** JSON array of handbook section refs, e.g. ["3.1"] */
  policy_refs: string;
  /** JSON array of lesson ids */
  prerequisites: string;
  body_html: string;
  source_path: string;
  content_hash: string;
  retired_at: string | null;
  updated_at: string;
}

export interface PolicyDocumentsTable {
  id: string;
  number: number;
  title: string;
  summary: string;
  body_html: string;
  content_hash: string;
}

export interface PolicySectionsTable {
  ref: string;
  document_id: string;
  title: string;
  anchor: string;
  position: number;
  body_html: string;
}

export interface EnrolmentsTable {
  user_id: number;
  track_id: string;
  cohort_id: number | null;
  /** A personal start date; when null the cohort's start date applies. */
  start_date: string | null;
  enrolled_at: string;
}

export interface LessonCompletionsTable {
  user_id: number;
  lesson_id: string;
  completed_at: string;
}

export interface AuditEventsTable {
  id: Generated<number>;
  actor_id: number | null;
  action: string;
  subject_user_id: number | null;
  /** JSON object */
  details: string;
  reason: string | null;
  created_at: string;
}

export type ScenarioOrigin = 'content' | 'studio';
export type ScenarioStatus = 'draft' | 'published' | 'retired';

export interface ScenariosTable {
  id: string;
  origin: ScenarioOrigin;
  title: string;
  topic: string;
  week: number;
  difficulty: number;
  status: ScenarioStatus;
  current_version_id: number | null;
  created_at: string;
  updated_at: string;
}

/** Immutable once written: attempts point at the exact version they were taken with. */
export interface ScenarioVersionsTable {
  id: Generated<number>;
  scenario_id: string;
  version: number;
  content_hash: string;
  /** JSON of the whole validated scenario, answers included: never sent to a browser as is. */
  body: string;
  change_note: string | null;
  published_at: string;
  /** The trainer who published it (null for versions loaded from content/). */
  published_by: number | null;
}

/** A scenario being written in the studio: the editor's JSON, checked only when published. */
export interface ScenarioDraftsTable {
  scenario_id: string;
  body: string;
  base_version_id: number | null;
  updated_by: number | null;
  updated_at: string;
}

export interface ScenarioItemsTable {
  id: Generated<number>;
  scenario_version_id: number;
  item_key: string;
  position: number;
  type: string;
  topic: string;
  difficulty: number;
  points: number;
  /** 0/1 */
  critical: number;
}

export interface QuizzesTable {
  id: string;
  track_id: string;
  module_id: string;
  title: string;
  day: number;
  pass_mark: number;
  /** JSON array of scenario ids */
  scenario_ids: string;
  content_hash: string;
  retired_at: string | null;
}

export type AttemptKind = 'practice' | 'exam';
export type AttemptStatus = 'in_progress' | 'submitted';

export interface AttemptsTable {
  id: Generated<number>;
  user_id: number;
  kind: AttemptKind;
  quiz_id: string | null;
  /** Seeds the option order shown in this attempt. */
  seed: number;
  status: AttemptStatus;
  started_at: string;
  submitted_at: string | null;
  deadline_at: string | null;
  score: number | null;
  max_score: number | null;
  /** 0/1, null until graded */
  passed: number | null;
  /** Exam attempts: the exam sat. */
  exam_id: string | null;
  /** 0/1: submitted by the server at the deadline rather than by the learner. */
  auto_submitted: Generated<number>;
  /** When the result became final (at submission, or when the last written reply was graded). */
  graded_at: string | null;
  /** When a trainer last applied a regrade (the grade before is in the audit trail). */
  regraded_at: string | null;
}

export interface AttemptScenariosTable {
  attempt_id: number;
  position: number;
  scenario_version_id: number;
  submitted_at: string | null;
  score: number | null;
  max_score: number | null;
}

export interface AttemptItemsTable {
  attempt_id: number;
  scenario_position: number;
  item_key: string;
  position: number;
  /** JSON of the learner's response, null until answered */
  response: string | null;
  saved_at: string | null;
  save_seq: Generated<number>;
  score: number | null;
  max_score: number | null;
  /** 0/1 */
  critical_failure: Generated<number>;
  /** 0/1: the learner flagged the item for review (exams). */
  flagged: Generated<number>;
  /** Written replies in an exam: the trainer who graded it, when, the points chosen per rubric criterion (JSON array), and a comment. */
  graded_by: number | null;
  graded_at: string | null;
  rubric_levels: string | null;
  grader_comment: string | null;
}

export interface ExamsTable {
  id: string;
  track_id: string;
  title: string;
  queue: string;
  /** JSON of the validated ExamBlueprint */
  blueprint: string;
  content_hash: string;
  retired_at: string | null;
  updated_at: string;
  /** content: shipped in content/exams (read-only in the studio); studio: written there. */
  origin: Generated<ScenarioOrigin>;
}

/** What a manager changed for one learner and exam: attempts before `attempts_reset_at` no longer count. */
export interface ExamAllowancesTable {
  user_id: number;
  exam_id: string;
  attempts_reset_at: string | null;
  /** Attempts granted on top of the blueprint's limit since the last reset. */
  extra_attempts: Generated<number>;
  updated_at: string;
  /** A manager waived the cooldown after the failed attempts before this instant. */
  cooldown_waived_at: string | null;
}

/** A week a manager excused: it counts as complete for the exam's eligibility. */
export interface ModuleExcusalsTable {
  user_id: number;
  module_id: string;
  excused_by: number | null;
  reason: string;
  created_at: string;
}

export interface CertificationsTable {
  id: Generated<number>;
  /** Public, random, unguessable: /verify/<credential_id>. */
  credential_id: string;
  user_id: number;
  exam_id: string;
  track_id: string;
  queue: string;
  attempt_id: number | null;
  issued_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_by: number | null;
  revoke_reason: string | null;
  expiry_announced_at: string | null;
}

export interface SigningKeysTable {
  kid: string;
  algorithm: string;
  /** JSON Web Keys */
  public_jwk: string;
  private_jwk: string;
  created_at: string;
}

export interface ApiKeysTable {
  id: Generated<number>;
  name: string;
  prefix: string;
  /** SHA-256 of the whole key; the key itself is shown once and never stored. */
  key_hash: string;
  created_by: number | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface WebhooksTable {
  id: Generated<number>;
  url: string;
  secret: string;
  /** JSON array of event types */
  events: string;
  created_by: number | null;
  created_at: string;
  disabled_at: string | null;
}

export interface WebhookEventsTable {
  /** evt_<random> */
  id: string;
  type: string;
  /** JSON: the body that is sent */
  payload: string;
  created_at: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  event_id: string;
  webhook_id: number;
  status: DeliveryStatus;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
}

export interface Database {
  instance: InstanceTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  cohorts: CohortsTable;
  cohort_managers: CohortManagersTable;
  invitations: InvitationsTable;
  password_resets: PasswordResetsTable;
  tracks: TracksTable;
  modules: ModulesTable;
  lessons: LessonsTable;
  policy_documents: PolicyDocumentsTable;
  policy_sections: PolicySectionsTable;
  enrolments: EnrolmentsTable;
  lesson_completions: LessonCompletionsTable;
  audit_events: AuditEventsTable;
  scenarios: ScenariosTable;
  scenario_versions: ScenarioVersionsTable;
  scenario_items: ScenarioItemsTable;
  scenario_drafts: ScenarioDraftsTable;
  quizzes: QuizzesTable;
  attempts: AttemptsTable;
  attempt_scenarios: AttemptScenariosTable;
  attempt_items: AttemptItemsTable;
  exams: ExamsTable;
  exam_allowances: ExamAllowancesTable;
  module_excusals: ModuleExcusalsTable;
  certifications: CertificationsTable;
  signing_keys: SigningKeysTable;
  api_keys: ApiKeysTable;
  webhooks: WebhooksTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Cohort = Selectable<CohortsTable>;
export type Lesson = Selectable<LessonsTable>;
export type Invitation = Selectable<InvitationsTable>;
export type Certification = Selectable<CertificationsTable>;
