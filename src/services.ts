// createServices builds, once per process (or per test app), everything the app and the command-line tools work
// with: every store over the one database, the domain services that combine stores, the rubric registry and the PDF
// worker pools. createApp and each CLI take it; the server closes it on shutdown (pools first, then the database).
// No store takes another store: where a rule needs two of them (a conflict check, a self-assessment's steps) a
// domain service gets both here.
import { createLoginAttemptStore } from './accounts/login-attempt-store.js';
import { type LoadedMfaKey, loadMfaKey, type MfaKey, type MfaKeySource } from './accounts/mfa-key.js';
import { createMfaStore, createTotpSecretStore, type TotpSecretStore } from './accounts/mfa-store.js';
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
import { createReportRenderer, type ReportPool } from './reports/report-renderer.js';
import { createResearchImport } from './research/research-import-workflow.js';
import { createResearchStore } from './research/research-store.js';
import { createPaperRoundStore } from './reviews/paper-round-store.js';
import { createReviewStore } from './reviews/review-store.js';
import { loadRubrics } from './rubrics/load-rubrics.js';
import type { RubricRegistry } from './rubrics/rubric-registry.js';
import { createSheetRenderer, type SheetPool } from './scoring-sheet/scoring-sheet-renderer.js';
import { createSelfAssessmentStore } from './self-assessment/self-assessment-store.js';
import { createSelfAssessmentWorkflow } from './self-assessment/self-assessment-workflow.js';

export type ServicesConfig = Pick<HttpConfig, 'reciprocalReviewMonths' | 'sessionIdleMs'> & {
  /** Where rubrics/*.yaml are read from, unless `rubrics` is passed (tests pass their own). */
  readonly rubricsDir?: string | undefined;
  /** Where the installation's key for TOTP secrets comes from, unless `mfaKey` is passed (tests pass their own). */
  readonly mfaKeySource?: MfaKeySource | undefined;
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
   * How the PDF worker pools keep idle workers: by default one stays warm for the next report. Services that are never
   * closed (some tests) keep none, so that they leave no worker thread behind once their workers idle.
   */
  readonly pdfWorkers?: { readonly keepWarm: number; readonly idleMs: number } | undefined;
  /**
   * Worker pools shared with other services in the process, instead of pools of their own (then pdfWorkers is not
   * used): the tests' apps share one of each, so a worker thread is started once per run rather than once per app.
   * close() then stops these services' renders and leaves the pools to their owner.
   */
  readonly pdfPools?: { readonly report: ReportPool; readonly sheet: SheetPool } | undefined;
  /**
   * A key for TOTP secrets given as it is (tests, each app with its own): then no key file is read or made, and the
   * key is not checked against the secrets already sealed, so a test can start an app with the wrong key.
   */
  readonly mfaKey?: MfaKey | undefined;
  /**
   * For a tool that never reads or writes a second factor (the report tool): no key is read or made and no secret is
   * sealed, so it also runs on a copy of the database without its key file. Its MFA store refuses to be used.
   */
  readonly withoutMfa?: boolean | undefined;
};

export type Services = ReturnType<typeof createServices>;

/** The services' part of the whole configuration, for the server and the command-line tools. */
export function servicesConfigOf(config: Config): ServicesConfig {
  return { ...config.http, rubricsDir: config.rubricsDir, mfaKeySource: { key: config.mfaKey, file: config.mfaKeyFile } };
}

function loadRegistry(config: ServicesConfig, rubrics: RubricRegistry | undefined): RubricRegistry {
  if (rubrics) return rubrics;
  if (config.rubricsDir === undefined) throw new Error('createServices needs config.rubricsDir or loaded rubrics');
  return loadRubrics(config.rubricsDir);
}

/**
 * The key for TOTP secrets: the one given, or the installation's (checked against the database, the key file made on
 * first start). Resolved here, where every process that uses the database builds its services, so neither the
 * server nor any command-line tool can work with the secrets without it.
 */
function resolveMfaKey(secrets: TotpSecretStore, config: ServicesConfig, given: MfaKey | undefined): LoadedMfaKey {
  if (given !== undefined) return { key: given, from: 'given', created: false };
  if (config.mfaKeySource === undefined) throw new Error('createServices needs config.mfaKeySource or an mfaKey');
  return loadMfaKey(config.mfaKeySource, secrets.listSealedSecrets());
}

export function createServices(db: Db, config: ServicesConfig, options: ServicesOptions = {}) {
  const clock = options.clock ?? systemClock;
  const now = () => clock().getTime();
  const rubrics = loadRegistry(config, options.rubrics);
  const transact = createTransact(db);
  const totpSecrets = createTotpSecretStore(db);
  const mfaKey = options.withoutMfa ? undefined : resolveMfaKey(totpSecrets, config, options.mfaKey);
  // Secrets stored in clear before they were sealed are sealed now, in one transaction, before any store reads them.
  // Here rather than beside migrate in each entry point: no numbered migration has the key, and every process that
  // opens the database for its work (the server, each command-line tool, each test app) builds its services here.
  const sealedAtStart = mfaKey === undefined ? 0 : totpSecrets.sealClearSecrets(mfaKey.key);

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
  const mode = options.pdfRendering ?? 'worker';
  const pools = options.pdfPools;
  const reportRenderer = createReportRenderer(pools ? { mode, pool: pools.report } : { mode, ...options.pdfWorkers });
  const sheetRenderer = createSheetRenderer(pools ? { mode, pool: pools.sheet } : { mode, ...options.pdfWorkers });

  return {
    db,
    clock,
    rubrics,
    transact,
    // Accounts and sign-in.
    users,
    setup: createSetupStore(db, clock),
    mfa: createMfaStore(db, clock, mfaKey?.key),
    /** Where the TOTP key came from, whether its key file was made now, and how many clear secrets were sealed: for the start log. */
    mfaKeyStart: mfaKey && { from: mfaKey.from, created: mfaKey.created, sealedAtStart },
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
      listProgramPeople: (programId) => members.listMembers(programId).map((member) => member.userId),
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
