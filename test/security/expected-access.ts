// Who may use which route: the table the access matrix (access-matrix.test.ts) holds the app to, and from which the
// form fuzz test picks a persona allowed to post each form. Every route of the app must have a line here; the matrix
// fails for a route without one and prints the line to add.
//
// One letter per persona, in this order (see security-fixture.ts for who they are):
//   anonymous  admin  coordinator  lead  rater  outsider  programLead  researcher
// where `lead` and `rater` are on the panel of every fixture review and `outsider` is a reviewer on none.
//   Y  access granted: 2xx, a 3xx that is not to /login, or 422 (the form was read and refused: access was granted)
//   L  303 to /login (anonymous visitors, GET and POST alike: POSTs here carry the visitor's own valid CSRF token)
//   F  403 forbidden
//   N  404: the page does not exist for this user, so that nothing is revealed (rating pages of others' reviews…)
//   C  409: allowed in principle but not in the review's current state
// A POST without a CSRF token is refused with 403 before any of this, for everyone: the matrix checks that separately.
// Routes under /reviews/:id have one row per review status.
import type { ReviewStatus } from '../../src/reviews/review-types.js';
import type { FormBody, SecurityFixture } from './security-fixture.js';

export type AccessRow = string;
export type Expectation = AccessRow | Readonly<Record<ReviewStatus, AccessRow>>;

const everyStatus = (row: AccessRow): Record<ReviewStatus, AccessRow> => ({ draft: row, rating: row, consensus: row, final: row });

export const EXPECTED_ACCESS: Readonly<Record<string, Expectation>> = {
  //                                          anon admin coord lead rater outsider progLead researcher
  'GET /language/:locale': /*                */ 'Y Y Y Y Y Y Y Y',
  'GET /login': /*                           */ 'Y Y Y Y Y Y Y Y',
  // Health probes (src/health/): open to all, a status word only.
  'GET /healthz': /*                         */ 'Y Y Y Y Y Y Y Y',
  'GET /readyz': /*                          */ 'Y Y Y Y Y Y Y Y',
  'POST /login': /*                          */ 'Y Y Y Y Y Y Y Y',
  // The login of a form posted after its session ended: open like the login form (the fixture posts it empty: 422).
  'POST /login/resume': /*                   */ 'Y Y Y Y Y Y Y Y',
  // Logging out sends everyone to the login page.
  'POST /logout': /*                         */ 'L L L L L L L L',
  // Setup exists only while there is no account at all (the fixture has accounts).
  'GET /setup': /*                           */ 'N N N N N N N N',
  'POST /setup': /*                          */ 'N N N N N N N N',
  // Single sign-on exists only when configured (the fixture has no provider): test/sign-on/ covers it configured.
  'GET /login/oidc': /*                      */ 'N N N N N N N N',
  'GET /login/oidc/callback': /*             */ 'N N N N N N N N',
  // The second factor after a password: without a waiting login, anonymous visitors go to the login page and the
  // logged-in home; only a session holding a right password reaches the code forms (test/accounts/mfa-routes.test.ts).
  'GET /login/mfa': /*                       */ 'L Y Y Y Y Y Y Y',
  'POST /login/mfa': /*                      */ 'L Y Y Y Y Y Y Y',
  'GET /login/mfa/setup': /*                 */ 'L Y Y Y Y Y Y Y',
  'POST /login/mfa/setup': /*                */ 'L Y Y Y Y Y Y Y',
  // One's own account: everyone logged in.
  'GET /account': /*                         */ 'L Y Y Y Y Y Y Y',
  'GET /account/password': /*                */ 'L Y Y Y Y Y Y Y',
  'POST /account/password': /*               */ 'L Y Y Y Y Y Y Y',
  'GET /account/mfa/setup': /*               */ 'L Y Y Y Y Y Y Y',
  'POST /account/mfa/setup': /*              */ 'L Y Y Y Y Y Y Y',
  'POST /account/mfa/recovery-codes': /*     */ 'L Y Y Y Y Y Y Y',
  'POST /account/mfa/disable': /*            */ 'L Y Y Y Y Y Y Y',
  'GET /': /*                                */ 'L Y Y Y Y Y Y Y',

  'GET /admin/users': /*                     */ 'L Y F F F F F F',
  'GET /admin/users/new': /*                 */ 'L Y F F F F F F',
  'POST /admin/users/new': /*                */ 'L Y F F F F F F',
  'GET /admin/users/:id/edit': /*            */ 'L Y F F F F F F',
  'POST /admin/users/:id/edit': /*           */ 'L Y F F F F F F',
  'GET /admin/audit': /*                     */ 'L Y F F F F F F',
  'GET /admin/audit.csv': /*                 */ 'L Y F F F F F F',
  'GET /admin/conflicts': /*                 */ 'L Y F F F F F F',
  'POST /admin/conflicts': /*                */ 'L Y F F F F F F',
  'POST /admin/conflicts/:id/remove': /*     */ 'L Y F F F F F F',
  'POST /admin/conflicts/dismissals': /*     */ 'L Y F F F F F F',
  'GET /admin/users/:id/affiliation': /*     */ 'L Y F F F F F F',
  'POST /admin/users/:id/affiliation': /*    */ 'L Y F F F F F F',
  'POST /admin/users/:id/mfa/reset': /*      */ 'L Y F F F F F F',

  'GET /municipalities': /*                  */ 'L Y Y Y Y Y Y Y',
  'GET /municipalities/new': /*              */ 'L Y F F F F F F',
  'POST /municipalities/new': /*             */ 'L Y F F F F F F',
  'GET /municipalities/:code': /*            */ 'L Y Y Y Y Y Y Y',
  // The report shows final results only, which everyone logged in may read.
  'GET /municipalities/:code/report.pdf': /* */ 'L Y Y Y Y Y Y Y',
  'GET /municipalities/:code/edit': /*       */ 'L Y F F F F F F',
  'POST /municipalities/:code/edit': /*      */ 'L Y F F F F F F',
  'GET /municipalities/:code/programs/new': /**/ 'L Y F F F F F F',
  'POST /municipalities/:code/programs/new': 'L Y F F F F F F',
  'GET /programs/:id': /*                    */ 'L Y Y Y Y Y Y Y',
  'GET /programs/:id/edit': /*               */ 'L Y F F F F F F',
  'POST /programs/:id/edit': /*              */ 'L Y F F F F F F',
  'GET /programs/:id/reviews/new': /*        */ 'L Y Y F F F F F',
  'POST /programs/:id/reviews/new': /*       */ 'L Y Y F F F F F',

  // The working overview is for coordinators and the panel; a final review sends others to its result page.
  'GET /reviews/:id': { draft: 'L Y Y Y Y N N N', rating: 'L Y Y Y Y N N N', consensus: 'L Y Y Y Y N N N', final: 'L Y Y Y Y Y Y Y' },
  // Coordinators' forms: others who may see the overview are forbidden, the rest get a 404 (nothing revealed). Once
  // the review is past rating a coordinator's details form comes back with a 409, what they typed kept.
  'GET /reviews/:id/details': {
    draft: 'L Y Y F F N N N',
    rating: 'L Y Y F F N N N',
    consensus: 'L F F F F N N N',
    final: 'L F F F F N N N',
  },
  'POST /reviews/:id/details': {
    draft: 'L Y Y F F N N N',
    rating: 'L Y Y F F N N N',
    consensus: 'L C C F F N N N',
    final: 'L C C F F N N N',
  },
  'POST /reviews/:id/panel': {
    draft: 'L Y Y F F N N N',
    rating: 'L Y Y F F N N N',
    consensus: 'L F F F F N N N',
    final: 'L F F F F N N N',
  },
  'POST /reviews/:id/panel/remove': {
    draft: 'L Y Y F F N N N',
    rating: 'L Y Y F F N N N',
    consensus: 'L F F F F N N N',
    final: 'L F F F F N N N',
  },
  // Starting the rating is a coordinator's; moving on from rating and consensus also the lead's (409 here: the fixture
  // reviews are not ready to move on). Others are forbidden. In a final review the request is stale, and redirects.
  'POST /reviews/:id/status': {
    draft: 'L Y Y F F N N N',
    rating: 'L C C C F N N N',
    consensus: 'L C C C F N N N',
    final: 'L Y Y Y F N N N',
  },
  'POST /reviews/:id/reopen': everyStatus('L Y F F F F F F'),
  'GET /reviews/:id/audit': everyStatus('L Y Y F F N N N'),
  'GET /reviews/:id/audit.csv': everyStatus('L Y Y F F N N N'),

  // Rating pages exist only for a rater who may still rate: everyone else gets a 404, which reveals nothing.
  'GET /reviews/:id/rate': { draft: 'L N N N N N N N', rating: 'L N N Y Y N N N', consensus: 'L N N N N N N N', final: 'L N N N N N N N' },
  'GET /reviews/:id/rate/check': {
    draft: 'L N N N N N N N',
    rating: 'L N N Y Y N N N',
    consensus: 'L N N N N N N N',
    final: 'L N N N N N N N',
  },
  'GET /reviews/:id/rate/:sectionId': {
    draft: 'L N N N N N N N',
    rating: 'L N N Y Y N N N',
    consensus: 'L N N N N N N N',
    final: 'L N N N N N N N',
  },
  // A rater's own section form posted when they can no longer rate is a 409 that gives back what they typed.
  'POST /reviews/:id/rate/:sectionId': {
    draft: 'L N N C C N N N',
    rating: 'L N N Y Y N N N',
    consensus: 'L N N C C N N N',
    final: 'L N N C C N N N',
  },
  'POST /reviews/:id/submit': {
    draft: 'L N N N N N N N',
    rating: 'L N N Y Y N N N',
    consensus: 'L N N N N N N N',
    final: 'L N N N N N N N',
  },

  // Side by side ratings: from consensus on, for coordinators and the panel; only the lead edits, during consensus.
  'GET /reviews/:id/consensus': {
    draft: 'L N N N N N N N',
    rating: 'L N N N N N N N',
    consensus: 'L Y Y Y Y N N N',
    final: 'L Y Y Y Y N N N',
  },
  // The lead posting once the review is final gets 409 with what was typed given back (the page was open meanwhile);
  // the findings form likewise.
  'POST /reviews/:id/consensus/:indicatorId': {
    draft: 'L N N N N N N N',
    rating: 'L N N N N N N N',
    consensus: 'L F F Y F N N N',
    final: 'L F F C F N N N',
  },
  'GET /reviews/:id/findings': {
    draft: 'L N N N N N N N',
    rating: 'L N N N N N N N',
    consensus: 'L F F Y F N N N',
    final: 'L F F F F N N N',
  },
  'POST /reviews/:id/findings': {
    draft: 'L N N N N N N N',
    rating: 'L N N N N N N N',
    consensus: 'L F F Y F N N N',
    final: 'L F F C F N N N',
  },
  // Consensus one section per page: the section page as the list; its findings form and the barriers page
  // as the findings form.
  'GET /reviews/:id/consensus/:sectionId': {
    draft: 'L N N N N N N N',
    rating: 'L N N N N N N N',
    consensus: 'L Y Y Y Y N N N',
    final: 'L Y Y Y Y N N N',
  },
  // The section's one form (every indicator's decision and the section's findings): the lead's, as the forms above.
  'POST /reviews/:id/consensus/:sectionId/save': {
    draft: 'L N N N N N N N',
    rating: 'L N N N N N N N',
    consensus: 'L F F Y F N N N',
    final: 'L F F C F N N N',
  },
  'POST /reviews/:id/consensus/:sectionId/findings': {
    draft: 'L N N N N N N N',
    rating: 'L N N N N N N N',
    consensus: 'L F F Y F N N N',
    final: 'L F F C F N N N',
  },
  'GET /reviews/:id/barriers': {
    draft: 'L N N N N N N N',
    rating: 'L N N N N N N N',
    consensus: 'L F F Y F N N N',
    final: 'L F F F F N N N',
  },
  'POST /reviews/:id/barriers': {
    draft: 'L N N N N N N N',
    rating: 'L N N N N N N N',
    consensus: 'L F F Y F N N N',
    final: 'L F F C F N N N',
  },
  // Finalising through a check page: for those who may finalise (the lead, coordinators). Before consensus both go back
  // to the overview, after it to the confirmation; the fixture's consensus review has undecided indicators (409).
  'GET /reviews/:id/finalise': everyStatus('L Y Y Y F N N N'),
  'POST /reviews/:id/finalise': {
    draft: 'L Y Y Y F N N N',
    rating: 'L Y Y Y F N N N',
    consensus: 'L C C C F N N N',
    final: 'L Y Y Y F N N N',
  },
  // The confirmation after locking: for those who see the overview (before final it goes back to the overview).
  'GET /reviews/:id/finalised': everyStatus('L Y Y Y Y N N N'),
  // The report's parts. The overall judgement: like the barriers page, the lead's during consensus.
  'GET /reviews/:id/judgement': {
    draft: 'L N N N N N N N',
    rating: 'L N N N N N N N',
    consensus: 'L F F Y F N N N',
    final: 'L F F F F N N N',
  },
  'POST /reviews/:id/judgement': {
    draft: 'L N N N N N N N',
    rating: 'L N N N N N N N',
    consensus: 'L F F Y F N N N',
    final: 'L F F C F N N N',
  },
  // The evidence base: coordinators and the lead, before final (a final review's page shows it without a save).
  'GET /reviews/:id/evidence': everyStatus('L Y Y Y F N N N'),
  'POST /reviews/:id/evidence': {
    draft: 'L Y Y Y F N N N',
    rating: 'L Y Y Y F N N N',
    consensus: 'L Y Y Y F N N N',
    final: 'L C C C F N N N',
  },
  // The factual check: those who see the overview and the program's leads; coordinators send (in consensus), the
  // program's leads answer, the review's lead records what changed. The fixture's draft was never sent: the answer
  // pages go back to the check page, and the draft PDF is not the program lead's yet.
  'GET /reviews/:id/factual-check': everyStatus('L Y Y Y Y N Y N'),
  // The check page before sending: the coordinators'; outside consensus it goes back to the factual check.
  'GET /reviews/:id/factual-check/send': everyStatus('L Y Y F F N F N'),
  'POST /reviews/:id/factual-check/send': {
    draft: 'L C C F F N F N',
    rating: 'L C C F F N F N',
    consensus: 'L Y Y F F N F N',
    final: 'L C C F F N F N',
  },
  'GET /reviews/:id/factual-check/response': everyStatus('L F F F F N Y N'),
  'POST /reviews/:id/factual-check/response': {
    draft: 'L F F F F N C N',
    rating: 'L F F F F N C N',
    consensus: 'L F F F F N Y N',
    final: 'L F F F F N C N',
  },
  'GET /reviews/:id/factual-check/changes': everyStatus('L F F Y F N F N'),
  'POST /reviews/:id/factual-check/changes': {
    draft: 'L F F C F N F N',
    rating: 'L F F C F N F N',
    consensus: 'L F F Y F N F N',
    final: 'L F F C F N F N',
  },
  'GET /reviews/:id/draft.pdf': {
    draft: 'L N N N N N N N',
    rating: 'L N N N N N N N',
    consensus: 'L Y Y Y Y N N N',
    final: 'L N N N N N N N',
  },
  // Research data: administrators, coordinators and researchers; only final reviews are exported.
  'GET /research': /*                        */ 'L Y Y F F F F Y',
  'GET /research/export/ratings.csv': /*     */ 'L Y Y F F F F Y',
  'GET /research/export/codebook.csv': /*    */ 'L Y Y F F F F Y',
  'GET /research/export/level-rules.csv': /* */ 'L Y Y F F F F Y',
  'GET /research/reviews/:id/matrix.csv': {
    draft: 'L N N F F F F N',
    rating: 'L N N F F F F N',
    consensus: 'L N N F F F F N',
    final: 'L Y Y F F F F Y',
  },
  'GET /research/import': /*                 */ 'L Y Y F F F F Y',
  'POST /research/import': /*                */ 'L Y Y F F F F Y',
  'GET /research/imports/:id': /*            */ 'L N N F F F F N',

  // Results: a preview for coordinators and the panel during consensus, for everyone logged in once final.
  'GET /reviews/:id/result': {
    draft: 'L N N N N N N N',
    rating: 'L N N N N N N N',
    consensus: 'L Y Y Y Y N N N',
    final: 'L Y Y Y Y Y Y Y',
  },
  'GET /reviews/:id/result/:sectionId': {
    draft: 'L N N N N N N N',
    rating: 'L N N N N N N N',
    consensus: 'L Y Y Y Y N N N',
    final: 'L Y Y Y Y Y Y Y',
  },

  // The program's own work. The programLead persona leads the fixture program (test/security/program-security-seed.ts).
  // Who belongs to a program: administrators only.
  'GET /programs/:id/members': /*            */ 'L Y F F F F F F',
  'POST /programs/:id/members': /*           */ 'L Y F F F F F F',
  'POST /programs/:id/members/remove': /*    */ 'L Y F F F F F F',
  // Self-assessments are the program's people's (403 on the program's pages; 404 for a self-assessment named in the URL).
  // Its lead shares it; the fixture's is final, so adopting ratings (consensus only) is a 409.
  'GET /programs/:id/self-assessments': /*   */ 'L F F F F F Y F',
  'POST /programs/:id/self-assessments': /*  */ 'L F F F F F Y F',
  'POST /self-assessments/:id/share': /*     */ 'L N N N N N Y N',
  'POST /self-assessments/:id/unshare': /*   */ 'L N N N N N Y N',
  'POST /self-assessments/:id/adopt': /*     */ 'L N N N N N C N',
  'GET /programs/:id/gap': /*                */ 'L F F F F F Y F',
  // Readiness: the program's people, and the panel a self-assessment on the rubric was shared with (lead and rater);
  // only the program's leads save. The first page only redirects to the default rubric.
  'GET /programs/:id/readiness': /*          */ 'L Y Y Y Y Y Y Y',
  'GET /programs/:id/readiness/:rubricId': /**/ 'L F F Y Y F Y F',
  'GET /programs/:id/readiness/:rubricId/sections/:sectionId': 'L F F Y Y F Y F',
  'POST /programs/:id/readiness/:rubricId/sections/:sectionId': 'L F F F F F Y F',
  // The action plan: read by the program's people, coordinators and the panels of the program's reviews; kept by its leads.
  'GET /programs/:id/actions': /*            */ 'L Y Y Y Y F Y F',
  'POST /programs/:id/actions': /*           */ 'L F F F F F Y F',
  'GET /actions/:id': /*                     */ 'L Y Y Y Y F Y F',
  'POST /actions/:id': /*                    */ 'L F F F F F Y F',
  // Outcomes: read by everyone logged in (they are on the program page); entered by the program's leads and coordinators.
  'GET /programs/:id/outcomes': /*           */ 'L Y Y Y Y Y Y Y',
  'POST /programs/:id/outcomes': /*          */ 'L Y Y F F F Y F',
  'GET /outcomes/:id': /*                    */ 'L Y Y F F F Y F',
  'POST /outcomes/:id': /*                   */ 'L Y Y F F F Y F',
  'GET /outcomes/:id/delete': /*             */ 'L Y Y F F F Y F',
  'POST /outcomes/:id/delete': /*            */ 'L Y Y F F F Y F',
  // Paper scoring sheets: for those who may see the overview (the panel and coordinators), in every status.
  'GET /reviews/:id/scoring-sheet.pdf': everyStatus('L Y Y Y Y N N N'),
};

const NEXT_STATUS: Readonly<Record<ReviewStatus, ReviewStatus>> = {
  draft: 'rating',
  rating: 'consensus',
  consensus: 'final',
  final: 'final',
};

/**
 * Bodies for POSTs whose access decision needs a well-formed request (the default is an empty form): without them the
 * route would answer 404 to everyone for an unknown target, and the table would test nothing.
 */
export const ACCESS_BODIES: Readonly<Record<string, (f: SecurityFixture, status: ReviewStatus) => FormBody>> = {
  'POST /reviews/:id/status': (_f, status) => ({ to: NEXT_STATUS[status] }),
  'POST /reviews/:id/panel/remove': (f) => ({ user_id: String(f.personas.rater.userId) }),
  'POST /reviews/:id/reopen': () => ({ reason: 'Ett räknefel i konsensus behöver rättas.' }),
  'POST /programs/:id/members/remove': (f) => ({ user_id: String(f.subjectUserId) }),
  'POST /self-assessments/:id/unshare': (f) => ({ peer_review_id: String(f.reviewIds.draft) }),
  'POST /programs/:id/actions': (f) => ({ review_id: String(f.programWork.roundReviewId) }),
  // The version the deletion form carries (a fresh period is at version 1); without it the deletion would be stale (409).
  'POST /outcomes/:id/delete': () => ({ version: '1' }),
};

/** Query strings for GET routes that answer 404 to everyone without one (the default is none). */
export const ACCESS_QUERIES: Readonly<Record<string, string>> = {
  'GET /research/export/ratings.csv': '?rubric=bostad-forst',
  'GET /research/export/codebook.csv': '?rubric=bostad-forst',
  'GET /research/export/level-rules.csv': '?rubric=bostad-forst',
};

/** Further checks of one route with a particular query, where the query changes who may use it. */
export const EXTRA_ACCESS_CHECKS: readonly {
  readonly key: string;
  readonly query: string;
  readonly expect: Expectation;
  readonly why: string;
}[] = [
  {
    key: 'GET /research/export/ratings.csv',
    query: '?rubric=bostad-forst&names=1',
    expect: 'L Y F F F F F F',
    why: 'rater names are for administrators only',
  },
  {
    key: 'GET /research/reviews/:id/matrix.csv',
    query: '?names=1',
    expect: { draft: 'L N N F F F F N', rating: 'L N N F F F F N', consensus: 'L N N F F F F N', final: 'L Y F F F F F F' },
    why: 'rater names are for administrators only',
  },
];

/** The expected row for a route in a review status, or undefined when the table has no line for the route. */
export function findExpectedRow(key: string, status: ReviewStatus | undefined): AccessRow | undefined {
  const expectation = EXPECTED_ACCESS[key];
  if (expectation === undefined) return undefined;
  return typeof expectation === 'string' ? expectation : expectation[status ?? 'final'];
}
