// A user's affiliation: where they work, kept on their account (the users table) and read by the conflict-of-interest
// checks (src/conflicts/), which refuse or warn about reviewing a program one is tied to.

export const AFFILIATION_KINDS = ['municipality', 'provider', 'university', 'other'] as const;
export type AffiliationKind = (typeof AFFILIATION_KINDS)[number];

export type Affiliation = {
  readonly kind: AffiliationKind;
  /** For municipal staff: their municipality. */
  readonly municipalityId: number | undefined;
  /** The organisation's name; for provider staff it is matched against programs' support provider. */
  readonly organisation: string;
};
