// What the municipality and program pages show of other capabilities' work. This folder is below them (reviews,
// program members and outcomes all import municipalities), so it never imports them: createApp hands these parts
// in, each built by the capability that owns it (src/reviews/program-page-part.ts,
// src/program-members/program-page-part.ts, src/outcomes/program-page-part.ts).
import type { CurrentUser } from '../accounts/user-store.js';
import type { Locale } from '../i18n/locale.js';
import type { Translate } from '../i18n/messages.js';
import type { Program } from './municipality-store.js';

/** A program's latest final peer review as its result. */
export type LatestResult = {
  readonly reviewId: number;
  readonly resultHref: string;
  /** The municipality's PDF report, which has a chapter per program built from its latest final peer review. */
  readonly reportHref: string;
  /** "Godtagbar modelltrohet", or a dash when the review reached no level. */
  readonly level: string;
  readonly levelId: string | undefined;
  /** "78,3 %". */
  readonly percent: string;
  /** The round's date (its site visit), ISO and in words. */
  readonly date: string;
  readonly dateText: string;
  /** "Godtagbar modelltrohet, 78,3 % av maxpoängen (10 mars 2026)". */
  readonly summary: string;
  /** The same with the date as tables write it: "Godtagbar modelltrohet, 78,3 % av maxpoängen (2026-03-10)". */
  readonly tableSummary: string;
  /** When the next review is due, in words, and whether that day has passed. */
  readonly nextDue: { readonly date: string; readonly dateText: string; readonly overdue: boolean } | undefined;
};

/** A review in the program page's list: a link only where the viewer may open it. */
export type ProgramReviewRow = {
  readonly id: number;
  readonly href: string | undefined;
  readonly kind: string;
  readonly status: string;
  readonly statusLabel: string;
  readonly rubric: string;
  readonly visit: string | undefined;
  /** A draft of this review waiting for the viewer's factual check (they lead the program): said at the top of the page. */
  readonly factualCheck?: { readonly href: string; readonly text: string } | undefined;
};

/** The program's own work on its page: where its people go next, and the viewer's role in the program. */
export type ProgramWorkLinks = {
  readonly links: readonly { readonly href: string; readonly label: string }[];
  readonly roleLabel: string | undefined;
};

/** The latest final peer review of a program as its result, or undefined when it has none (reviews). */
export type DescribeLatestResult = (program: Program, t: Translate, locale: Locale) => LatestResult | undefined;

/** `Outcomes` is what the outcomes capability shows of the program's outcome periods (views/outcomes/table.ejs). */
export type ProgramPageParts<Outcomes> = {
  /** The latest final peer review of a program, or undefined when it has none (reviews). */
  describeLatestResult: DescribeLatestResult;
  /** Whether the program has a final peer review, which the municipality's PDF report needs (reviews). */
  hasFinalPeerReview(programId: number): boolean;
  /** The program's reviews this user may see listed (reviews). */
  listReviewRows(program: Program, user: CurrentUser, t: Translate, locale: Locale): ProgramReviewRow[];
  /** Links to the program's own work and the user's role in it (program members). */
  describeProgramWork(program: Program, user: CurrentUser, t: Translate): ProgramWorkLinks;
  /** The program's outcome figures, shown to everyone logged in (outcomes). */
  describeOutcomes(programId: number, locale: Locale): Outcomes;
};
