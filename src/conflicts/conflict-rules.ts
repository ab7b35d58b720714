// Conflicts of interest for panel members. Pure: the facts are gathered by the conflict store.
// Refused: reviewing a program one is a person of (its lead or staff), a program of one's own municipality, of the
// provider one works for, or one covered by a conflict an administrator declared. Warned (the coordinator must confirm with a reason): the program's
// municipality reviewed the reviewer's own municipality within the configured period, unless an administrator
// dismissed that warning for this person and municipality.

import type { Affiliation } from '../accounts/affiliation.js';

export { AFFILIATION_KINDS, type Affiliation, type AffiliationKind } from '../accounts/affiliation.js';

export type ProgramParties = {
  readonly name: string;
  readonly municipalityId: number;
  readonly municipalityName: string;
  readonly supportProvider: string;
};

export type DeclaredConflict = {
  readonly id: number;
  readonly municipalityId: number | undefined;
  readonly municipalityName: string | undefined;
  readonly provider: string | undefined;
  readonly reason: string;
};

export type ReciprocalReview = { readonly reviewId: number; readonly programName: string; readonly date: string };

export type ConflictFacts = {
  readonly affiliation: Affiliation;
  readonly program: ProgramParties;
  /** The reviewer is one of the program's own people (its lead or staff): the program would rate itself. */
  readonly programPerson: boolean;
  readonly declared: readonly DeclaredConflict[];
  /** Reviews of the reviewer's municipality, within the period, whose panel had someone from the program's municipality. */
  readonly reciprocalReviews: readonly ReciprocalReview[];
  readonly warningDismissed: boolean;
};

export type ConflictReason =
  | { readonly code: 'program-person'; readonly program: string }
  | { readonly code: 'own-municipality'; readonly municipality: string }
  | { readonly code: 'own-provider'; readonly provider: string }
  | { readonly code: 'declared'; readonly party: string; readonly reason: string }
  | { readonly code: 'reciprocal'; readonly municipality: string; readonly programName: string; readonly date: string };

export type ConflictAssessment = { readonly refusals: readonly ConflictReason[]; readonly warnings: readonly ConflictReason[] };

/** Organisation names compared without case, accents of spacing or a trailing "(…)" note. */
export function normalizeOrganisation(name: string): string {
  return name
    .normalize('NFKC')
    .toLocaleLowerCase('sv')
    .replace(/\s*\([^)]*\)\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function assessConflicts(facts: ConflictFacts): ConflictAssessment {
  const refusals: ConflictReason[] = [];
  const { affiliation, program } = facts;
  if (facts.programPerson) refusals.push({ code: 'program-person', program: program.name });
  if (affiliation.kind === 'municipality' && affiliation.municipalityId === program.municipalityId) {
    refusals.push({ code: 'own-municipality', municipality: program.municipalityName });
  }
  const provider = normalizeOrganisation(program.supportProvider);
  if (affiliation.kind === 'provider' && provider !== '' && normalizeOrganisation(affiliation.organisation) === provider) {
    refusals.push({ code: 'own-provider', provider: program.supportProvider });
  }
  for (const conflict of facts.declared) {
    if (conflict.municipalityId !== undefined && conflict.municipalityId === program.municipalityId) {
      refusals.push({ code: 'declared', party: program.municipalityName, reason: conflict.reason });
    } else if (conflict.provider !== undefined && provider !== '' && normalizeOrganisation(conflict.provider) === provider) {
      refusals.push({ code: 'declared', party: program.supportProvider, reason: conflict.reason });
    }
  }
  const warnings: ConflictReason[] =
    facts.warningDismissed || facts.reciprocalReviews.length === 0
      ? []
      : facts.reciprocalReviews.slice(0, 1).map((review) => ({
          code: 'reciprocal',
          municipality: program.municipalityName,
          programName: review.programName,
          date: review.date,
        }));
  return { refusals, warnings };
}
