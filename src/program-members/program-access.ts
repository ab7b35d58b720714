// Who may do what with a program's own work (self-assessments, readiness, action plan, outcomes). Pure: decided from
// the user, their role in the program (if any) and a few facts the routes look up.
import { hasRole } from '../accounts/access.js';
import type { CurrentUser } from '../accounts/user-store.js';
import type { ProgramRole } from './program-member-store.js';

export type ProgramViewer = {
  readonly user: CurrentUser;
  /** The viewer's role in the program; undefined when they are not one of its people. */
  readonly role: ProgramRole | undefined;
};

/** The program's people: its leads and staff. */
export function isProgramPerson(viewer: ProgramViewer): boolean {
  return viewer.role !== undefined;
}

/**
 * Leads start and share self-assessments and keep the readiness checklist and action plan: a program's lead who also
 * holds the account role Verksamhetsansvarig. An administrator who takes that role away takes the lead's powers with it
 * (the person stays one of the program's people, as staff, until removed from the program).
 */
export function isProgramLead(viewer: ProgramViewer): boolean {
  return viewer.role === 'lead' && hasRole(viewer.user, 'program_lead');
}

/** Only administrators say who belongs to a program. */
export function canManageMembers(viewer: ProgramViewer): boolean {
  return hasRole(viewer.user, 'admin');
}

/** Outcome figures are shown on the program page to everyone; the program's leads and coordinators enter them. */
export function canEditOutcomes(viewer: ProgramViewer): boolean {
  return isProgramLead(viewer) || hasRole(viewer.user, 'coordinator');
}

/**
 * The action plan answers a review's recommendations: the program's people, coordinators and the panels of the
 * program's reviews read it (the next panel checks it); the program's leads keep it.
 */
export function canViewActions(viewer: ProgramViewer, onPanelOfProgramReview: boolean): boolean {
  return isProgramPerson(viewer) || hasRole(viewer.user, 'coordinator') || onPanelOfProgramReview;
}

/** The readiness checklist is the program's; a panel sees it once a self-assessment on that rubric is shared with it. */
export function canViewReadiness(viewer: ProgramViewer, sharedWithViewersPanel: boolean): boolean {
  return isProgramPerson(viewer) || sharedWithViewersPanel;
}
