// What the program page shows of the program's own work (src/municipalities/program-page-parts.ts): the viewer's
// role in the program, and links to the self-assessments, readiness, gap, action plan, outcomes and members for
// those who may use them.
import type { ProgramPageParts } from '../municipalities/program-page-parts.js';
import type { ReviewStore } from '../reviews/review-store.js';
import { canEditOutcomes, canManageMembers, canViewActions, isProgramPerson, type ProgramViewer } from './program-access.js';
import type { ProgramMemberStore } from './program-member-store.js';

export function createProgramWorkLinksPart({
  members,
  reviews,
}: {
  readonly members: ProgramMemberStore;
  readonly reviews: ReviewStore;
}): Pick<ProgramPageParts<unknown>, 'describeProgramWork'> {
  return {
    describeProgramWork: (program, user, t) => {
      const role = members.findRole(program.id, user.id);
      const viewer: ProgramViewer = { user, role };
      const onPanel = reviews
        .listReviewsOfPanelMember(user.id)
        .some((review) => review.programId === program.id && review.kind === 'peer_review');
      const links: { href: string; label: string }[] = [];
      if (isProgramPerson(viewer)) {
        links.push({ href: `/programs/${program.id}/self-assessments`, label: t('selfAssessment.link') });
        links.push({ href: `/programs/${program.id}/readiness`, label: t('readiness.link') });
        links.push({ href: `/programs/${program.id}/gap`, label: t('selfAssessment.gap.link') });
      }
      if (canViewActions(viewer, onPanel)) links.push({ href: `/programs/${program.id}/actions`, label: t('actions.link') });
      links.push({
        href: `/programs/${program.id}/outcomes`,
        label: canEditOutcomes(viewer) ? t('outcomes.link') : t('outcomes.programMore'),
      });
      if (canManageMembers(viewer)) links.push({ href: `/programs/${program.id}/members`, label: t('programMembers.link') });
      return { links, roleLabel: role ? t(`programMembers.roles.${role}`) : undefined };
    },
  };
}
