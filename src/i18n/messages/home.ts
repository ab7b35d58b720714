import type { MessageShape } from '../shape.js';

export const sv = {
  title: 'Start',
  heading: 'Kollegial granskning av Bostad först',
  intro:
    'Här granskar kommuner varandras Bostad först-verksamheter mot en gemensam mall för modelltrohet. Varje panelmedlem bedömer först på egen hand. Sedan enas panelen om varje indikator, med en motivering, och skriver styrkor och rekommendationer.',
  introResult: 'Resultatet visar hur väl verksamheten följer modellen och vad som kan utvecklas till nästa granskningsomgång.',
  myReviewsCaption: 'Granskningar där du ingår i panelen, med ditt nästa steg.',
  noMyReviews: 'Du ingår inte i någon granskningspanel ännu.',
  myRole: 'Min roll',
  nextAction: 'Nästa steg',
  openOverview: 'Visa granskningen',
  openReviewsCaption: 'Alla granskningar som inte är slutförda.',
  newReviewHint: 'Nya granskningar skapas från verksamhetens sida.',
  municipalitiesLink: 'Alla kommuner, verksamheter och granskningar',
  // Result page strings not (yet) in reviews.result.*
  result: {
    notApplicableCount: 'ej tillämplig: {count}',
    undecidedCount: 'utan konsensus: {count}',
    sufficient: 'Tillräckligt bedömt',
    finalisedOn: 'Slutförd den',
  },
};

export const en: MessageShape<typeof sv> = {
  title: 'Home',
  heading: 'Peer review of Housing First',
  intro:
    'Here municipalities review each other’s Housing First programs against a shared fidelity rubric. Each panel member first rates alone. The panel then agrees on each indicator, with a rationale, and writes strengths and recommendations.',
  introResult: 'The result shows how closely the program follows the model and what to develop before the next review round.',
  myReviewsCaption: 'Reviews where you are on the panel, with your next step.',
  noMyReviews: 'You are not on any review panel yet.',
  myRole: 'My role',
  nextAction: 'Next step',
  openOverview: 'Show the review',
  openReviewsCaption: 'All reviews that are not final.',
  newReviewHint: 'New reviews are created from the program’s page.',
  municipalitiesLink: 'All municipalities, programs and reviews',
  result: {
    notApplicableCount: 'not applicable: {count}',
    undecidedCount: 'without consensus: {count}',
    sufficient: 'Enough rated',
    finalisedOn: 'Finalised on',
  },
};
