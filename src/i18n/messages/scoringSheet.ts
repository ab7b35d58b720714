import type { MessageShape } from '../shape.js';

export const sv = {
  title: 'Bedömningsformulär för platsbesök',
  version: 'version {version} (kontrollsumma {hash})',
  rater: 'Bedömare',
  reviewId: 'Granskning nr',
  instructionMark:
    'Kryssa i en ruta per indikator: den nivå vars beskrivning stämmer bäst med nuvarande arbetssätt. Ej tillämplig bara där det finns en ruta för det.',
  instructionEvidence: 'Kryssa i vilka källor du använt och skriv en kort anteckning. Inga uppgifter om enskilda deltagare.',
  instructionEnter: 'För in markeringarna i verktyget efteråt: ett avsnitt per sida, och du kan spara en del och fortsätta senare.',
  sourcesUsed: 'Källor',
  suggested: 'mallen föreslår',
  note: 'Anteckning',
  page: 'Sida {page} av {pages}',
  footer: 'Granskning {id} · {program} · {rater}',
  heading: 'Papper och platsbesök',
  linkOwn: 'Skriv ut ditt bedömningsformulär (PDF)',
  linkFor: 'Bedömningsformulär för {name} (PDF)',
  linkBlank: 'Tomt bedömningsformulär (PDF)',
  paperHint:
    'Har du bedömt på papper? För in markeringarna avsnitt för avsnitt: varje sida sparas för sig, du kan sluta när du vill och fortsätta senare, och inget skickas in förrän du själv skickar in.',
  enterFromPaper: 'För in markeringar från papper',
  busy: 'Många bedömningsformulär skrivs ut just nu. Försök igen om en stund.',
};

export const en: MessageShape<typeof sv> = {
  title: 'Scoring sheet for the site visit',
  version: 'version {version} (checksum {hash})',
  rater: 'Rater',
  reviewId: 'Review no.',
  instructionMark:
    'Tick one box per indicator: the level whose description best fits current practice. Not applicable only where there is a box for it.',
  instructionEvidence: 'Tick the sources you used and write a short note. No data about individual participants.',
  instructionEnter: 'Enter the marks in the tool afterwards: one section per page, and you can save part and continue later.',
  sourcesUsed: 'Sources',
  suggested: 'the rubric suggests',
  note: 'Note',
  page: 'Page {page} of {pages}',
  footer: 'Review {id} · {program} · {rater}',
  heading: 'Paper and site visits',
  linkOwn: 'Print your scoring sheet (PDF)',
  linkFor: 'Scoring sheet for {name} (PDF)',
  linkBlank: 'Blank scoring sheet (PDF)',
  paperHint:
    'Rated on paper? Enter the marks section by section: each page is saved on its own, you can stop whenever you like and continue later, and nothing is submitted until you submit it yourself.',
  enterFromPaper: 'Enter marks from paper',
  busy: 'Many scoring sheets are being printed right now. Try again in a moment.',
};
