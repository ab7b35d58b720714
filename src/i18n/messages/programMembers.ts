import type { MessageShape } from '../shape.js';

export const sv = {
  title: 'Programmets personer: {program}',
  intro:
    'Programmets personer ser programmets självskattningar, beredskapslista och åtgärdsplan. Programansvariga startar självskattningar, delar dem med panelen och håller beredskapslistan, åtgärdsplanen och utfallsmåtten aktuella. Övrig personal kan läsa.',
  none: 'Programmet har inga registrerade personer ännu.',
  caption: 'Personer i programmet och deras roll.',
  person: 'Person',
  role: 'Roll i programmet',
  roles: { lead: 'Programansvarig', staff: 'Personal' },
  add: 'Lägg till eller ändra person',
  save: 'Spara',
  remove: 'Ta bort',
  removeNamed: 'Ta bort {name} från programmet',
  saved: 'Programmets personer är uppdaterade.',
  link: 'Programmets personer',
  back: 'Till programmet',
  workHeading: 'Programmets eget arbete',
  yourRole: 'Din roll i programmet: {role}.',
  homeHeading: 'Mina program',
  homeReadiness: '{percent} klart ({rubric})',
  homeActions: '{open} åtgärder pågår eller inte påbörjade',
  homeOverdue: '{count} försenade',
};

export const en: MessageShape<typeof sv> = {
  title: 'People of the program: {program}',
  intro:
    'The people of a program see its self-assessments, readiness checklist and action plan. Program leads start self-assessments, share them with the panel, and keep the readiness checklist, action plan and outcome figures up to date. Other staff can read them.',
  none: 'The program has no people registered yet.',
  caption: 'People of the program and their role.',
  person: 'Person',
  role: 'Role in the program',
  roles: { lead: 'Program lead', staff: 'Staff' },
  add: 'Add or change a person',
  save: 'Save',
  remove: 'Remove',
  removeNamed: 'Remove {name} from the program',
  saved: 'The people of the program are updated.',
  link: 'People of the program',
  back: 'Back to the program',
  workHeading: 'The program’s own work',
  yourRole: 'Your role in the program: {role}.',
  homeHeading: 'My programs',
  homeReadiness: '{percent} ready ({rubric})',
  homeActions: '{open} actions in progress or not started',
  homeOverdue: '{count} overdue',
};
