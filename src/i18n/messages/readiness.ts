import type { MessageShape } from '../shape.js';

export const sv = {
  title: 'Checklista inför granskningen: {program}',
  link: 'Checklista inför granskningen',
  sectionTitle: 'Checklista: {section}',
  intro:
    'Underlagen panelen kommer att fråga efter, indikator för indikator, enligt mallens källor och vägledning. Markera vad som är klart, delvis klart eller saknas, med en anteckning och när det senast kontrollerades.',
  overallHeading: 'Hela mallen',
  countsText: '– klart {ready}, delvis {partly}, saknas {missing}, inte kontrollerat {unchecked} av {total} indikatorer.',
  percentHelp: 'Andelen räknar klart som 1 och delvis som ½, över alla indikatorer: det som inte kontrollerats räknas som inte klart.',
  sectionsCaption: 'Checklistan per avsnitt.',
  readyShare: 'Andel klart',
  editHint: 'Öppna ett avsnitt för att uppdatera listan. Varje avsnitt sparas för sig.',
  evidenceAsked: 'Panelen frågar efter',
  lastChecked: 'Senast kontrollerad {date}.',
  neverChecked: 'Inte kontrollerad ännu.',
  statusLabel: 'Status',
  statuses: { ready: 'Klart', partly: 'Delvis', missing: 'Saknas', unchecked: 'Inte kontrollerat' },
  note: 'Anteckning',
  noteHint: 'Var underlaget finns eller vad som saknas. Inga uppgifter om enskilda deltagare.',
  checkedOn: 'Kontrollerad',
  checkedOnHint:
    'Har du ändrat något? Lämna fältet tomt, så sparas dagens datum. Har du kontrollerat igen utan att ändra något? Ange dagens datum.',
  checkedInFuture: '{Field} kan inte ligga i framtiden.',
  statusNeededToSave:
    'Välj {field} för att spara anteckningen och datumet – ”Inte kontrollerat” sparar dem inte. Töm fälten om inget ska sparas.',
  saved: 'Checklistan är sparad.',
  notAllowed: 'Checklistan är verksamhetens. En panel ser den när verksamheten delat en självskattning med samma mall.',
  // The fields as they read in a sentence, for error messages; {indicator} is the indicator's code (A1.2).
  fieldNames: {
    status: 'status för {indicator}',
    note: 'anteckningen för {indicator}',
    checked: 'datum då {indicator} kontrollerades',
  },
};

export const en: MessageShape<typeof sv> = {
  title: 'Readiness for the review: {program}',
  link: 'Readiness checklist',
  sectionTitle: 'Readiness: {section}',
  intro:
    'The evidence the panel will ask for, indicator by indicator, from the rubric’s sources and guidance. Mark what is ready, partly ready or missing, with a note and when it was last checked.',
  overallHeading: 'The whole rubric',
  countsText: '– ready {ready}, partly {partly}, missing {missing}, not checked {unchecked} of {total} indicators.',
  percentHelp: 'The share counts ready as 1 and partly as ½, over all indicators: what has not been checked counts as not ready.',
  sectionsCaption: 'Readiness by section.',
  readyShare: 'Share ready',
  editHint: 'Open a section to update the checklist. Each section is saved on its own.',
  evidenceAsked: 'The panel will ask for',
  lastChecked: 'Last checked {date}.',
  neverChecked: 'Not checked yet.',
  statusLabel: 'Status',
  statuses: { ready: 'Ready', partly: 'Partly', missing: 'Missing', unchecked: 'Not checked' },
  note: 'Note',
  noteHint: 'Where the evidence is or what is missing. No data about individual participants.',
  checkedOn: 'Checked on',
  checkedOnHint: 'Leave empty for today when something changed; give today’s date if you checked again without a change.',
  checkedInFuture: '{Field} cannot be in the future.',
  statusNeededToSave:
    'Choose {field} to save the note and the date – “Not checked” does not keep them. Empty those fields if nothing should be saved.',
  saved: 'The readiness checklist is saved.',
  notAllowed: 'The readiness checklist is the program’s. A panel sees it once the program has shared a self-assessment on the same rubric.',
  fieldNames: {
    status: 'the status of {indicator}',
    note: 'the note on {indicator}',
    checked: 'the date {indicator} was checked',
  },
};
