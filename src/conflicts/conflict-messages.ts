import type { Translate } from '../i18n/messages.js';
import type { ConflictReason } from './conflict-rules.js';

/** One sentence per reason, naming the person, in the user's language. */
export function describeConflict(reason: ConflictReason, name: string, t: Translate, months: number): string {
  switch (reason.code) {
    case 'program-person':
      return t('conflicts.programPerson', { name, program: reason.program });
    case 'own-municipality':
      return t('conflicts.ownMunicipality', { name, municipality: reason.municipality });
    case 'own-provider':
      return t('conflicts.ownProvider', { name, provider: reason.provider });
    case 'declared':
      return t('conflicts.declared', { name, party: reason.party, reason: reason.reason });
    case 'reciprocal':
      return t('conflicts.reciprocal', {
        name,
        municipality: reason.municipality,
        programName: reason.programName,
        date: reason.date,
        months,
      });
  }
}

/** One sentence per reason, addressed to the person it is about (on their own rating pages). */
export function describeOwnConflict(reason: ConflictReason, t: Translate, months: number): string {
  switch (reason.code) {
    case 'program-person':
      return t('conflicts.you.programPerson', { program: reason.program });
    case 'own-municipality':
      return t('conflicts.you.ownMunicipality', { municipality: reason.municipality });
    case 'own-provider':
      return t('conflicts.you.ownProvider', { provider: reason.provider });
    case 'declared':
      return t('conflicts.you.declared', { party: reason.party, reason: reason.reason });
    case 'reciprocal':
      return t('conflicts.you.reciprocal', {
        municipality: reason.municipality,
        programName: reason.programName,
        date: reason.date,
        months,
      });
  }
}

/** A few words per reason, for the panel form's list of people (a select's options are read out: keep them short). */
export function describeConflictBriefly(reason: ConflictReason, t: Translate): string {
  switch (reason.code) {
    case 'program-person':
      return t('conflicts.brief.programPerson', { program: reason.program });
    case 'own-municipality':
      return t('conflicts.brief.ownMunicipality', { municipality: reason.municipality });
    case 'own-provider':
      return t('conflicts.brief.ownProvider', { provider: reason.provider });
    case 'declared':
      return t('conflicts.brief.declared', { party: reason.party });
    case 'reciprocal':
      return t('conflicts.brief.reciprocal');
  }
}
