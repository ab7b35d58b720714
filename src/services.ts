// createServices builds, once per process (or per test app), everything the app and the command-line tools work
// with: every store over the one database, the domain services that combine stores, the rubric registry and the PDF
// worker pools. createApp and each CLI take it; the server closes it on shutdown (pools first, then the database).
// No store takes another store: where a rule needs two of them (a conflict check, a self-assessment's steps) a
// domain service gets both here.
import { createLoginAttemptStore } from './accounts/login-attempt-store.js';
import { createMfaStore } from './accounts/mfa-store.js';
import { createSessionRevoker, createSqliteSessionStore } from './accounts/session-store.js';
import { createSetupStore } from './accounts/setup-store.js';
import { createUserStore } from './accounts/user-store.js';
import { createActionPlans } from './actions/action-plan.js';
import { createActionStore } from './actions/action-store.js';
import { createAuditStore } from './audit/audit-store.js';
import { type Clock, systemClock } from './clock.js';
import type { Config, HttpConfig } from './config.js';
import { createConflictChecker } from './conflicts/conflict-check.js';
import { createConflictStore } from './conflicts/conflict-store.js';
import type { Db } from './db/open-database.js';
import { createTransact } from './db/transact.js';
import { createHealthStore } from './health/health-store.js';
import { createMunicipalityStore } from './municipalities/municipality-store.js';
import { createOutcomeStore } from './outcomes/outcome-store.js';
import { createProgramMemberStore } from './program-members/program-member-store.js';
import { createSelfAssessmentRelationFinder } from './self-assessment/self-assessment-relation.js';
import { createReadinessStore } from './readiness/readiness-store.js';
import { createReportRenderer } from './reports/report-renderer.js';
import { createResearchImport } from './research/research-import-workflow.js';
import { createResearchStore } from './research/research-store.js';
import { createPaperRoundStore } from './reviews/paper-round-store.js';
import { createReviewStore } from './reviews/review-store.js';
import { loadRubrics } from './rubrics/load-rubrics.js';
import type { RubricRegistry } from './rubrics/rubric-registry.js';
import { createSheetRenderer } from './scoring-sheet/scoring-sheet-renderer.js';
import { createSelfAssessmentStore } from './self-assessment/self-assessment-store.js';
import { createSelfAssessmentWorkflow } from './self-assessment/self-assessment-workflow.js';

export type ServicesConfig = Pick<HttpConfig, 'reciprocalReviewMonths' | 'sessionIdleMs'> & {
  /** Where rubrics/*.yaml are read from, unless `rubrics` is passed (tests pass their own). */
  readonly rubricsDir?: string | undefined;
};

export type ServicesOptions = {
  /** Rubrics already loaded: then rubricsDir is not read. */
  readonly rubrics?: RubricRegistry | undefined;
  /** The time as the services see it; tests pass one they can move forward. */
  readonly clock?: Clock | undefined;
  /**
   * 'worker' (the default) renders PDFs on worker threads, off the request thread; 'inline' on the calling thread,
   * for a command-line tool that serves nobody else.
   */
  readonly pdfRendering?: 'worker' | 'inline' | undefined;
  /**
   * How the PDF worker pools keep idle workers: by default one stays warm for the next report. Tests make many apps
   * in one process and keep none, so an app a test forgets leaves no worker thread behind once its workers idle.
   */
  readonly pdfWorkers?: { readonly keepWarm: number; readonly idleMs: number } | undefined;
};

export type Services = ReturnType<typeof createServices>;

/** The services' part of the whole configuration, for the server and the command-line tools. */
export function servicesConfigOf(config: Config): ServicesConfig {
  return { ...config.http, rubricsDir: config.rubricsDir };
}

function loadRegistry(config: ServicesConfig, rubrics: RubricRegistry | undefined): RubricRegistry {
  if (rubrics) return rubrics;
  if (config.rubricsDir === undefined) throw new Error('createServices needs config.rubricsDir or loaded rubrics');
  return loadRubrics(config.rubricsDir);
}

export function createServices(db: Db, config: ServicesConfig, options: ServicesOptions = {}) {
  const clock = options.clock ?? systemClock;
  const now = () => clock().getTime();
  const rubrics = loadRegistry(config, options.rubrics);
  const transact = createTransact(db);

  const municipalities = createMunicipalityStore(db, clock);
  const members = createProgramMemberStore(db, clock);
  const conflicts = createConflictStore(db, clock);
  const users = createUserStore(db, clock);
  const selfAssessmentShares = createSelfAssessmentStore(db, clock);
  const actions = createActionStore(db, clock);
  const research = createResearchStore(db, clock);
  // Who may see a self-assessment is asked of the capabilities that own the facts, not of the review store's SQL.
  const findSelfAssessmentRelation = createSelfAssessmentRelationFinder({
    findRole: members.findRole,
    isSharedWithPanelOf: selfAssessmentShares.isSharedWithPanelOf,
    isImportedRound: research.isImportedRound,
  });
  const reviews = createReviewStore(db, clock, findSelfAssessmentRelation);
  const reportRenderer = createReportRenderer({ mode: options.pdfRendering ?? 'worker', ...options.pdfWorkers });
  const sheetRenderer = createSheetRenderer({ mode: options.pdfRendering ?? 'worker', ...options.pdfWorkers });

  return {
    db,
    clock,
    rubrics,
    transact,
    // Accounts and sign-in.
    users,
    setup: createSetupStore(db, clock),
    mfa: createMfaStore(db, clock),
    loginAttempts: createLoginAttemptStore(db),
    sessionRevoker: createSessionRevoker(db),
    /** express-session's store: sessions idle for sessionIdleMs are refused. */
    sessionStore: createSqliteSessionStore(db, config.sessionIdleMs, now),
    // Municipalities, programs and the program's people.
    municipalities,
    members,
    // Reviews and the checks around them. The conflict checker is domain logic over two stores.
    reviews,
    conflicts,
    conflictChecker: createConflictChecker({
      conflicts,
      users,
      municipalities,
      isProgramPerson: (programId, userId) => members.findRole(programId, userId) !== undefined,
      reciprocalReviewMonths: config.reciprocalReviewMonths,
      clock,
    }),
    // The program's own work.
    selfAssessments: createSelfAssessmentWorkflow({ shares: selfAssessmentShares, reviews, transact }),
    readiness: createReadinessStore(db, clock),
    actions,
    /** Making an action plan: a rule over the review's recommendations and the actions. */
    actionPlans: createActionPlans({ reviews, actions, transact }),
    outcomes: createOutcomeStore(db, clock),
    // Research, audit and health.
    research,
    /** Importing historical reviews: the review store makes each review, the research store the rest. */
    researchImport: createResearchImport({ research, reviews, paperRounds: createPaperRoundStore(db, clock), users, transact }),
    audit: createAuditStore(db),
    health: createHealthStore(db),
    // PDFs, off the request thread: each pool starts its workers on first use.
    reportRenderer,
    sheetRenderer,
    /** Stops the worker pools (queued renders are refused). The database stays open: its owner closes it after this. */
    close: async (): Promise<void> => {
      await Promise.all([reportRenderer.close(), sheetRenderer.close()]);
    },
  };
}
