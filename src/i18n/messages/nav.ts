import type { MessageShape } from '../shape.js';

export const sv = {
  home: 'Start',
  municipalities: 'Kommuner och verksamheter',
  users: 'Användare',
  conflicts: 'Jäv',
  audit: 'Ändringslogg',
};

export const en: MessageShape<typeof sv> = {
  home: 'Home',
  municipalities: 'Municipalities and programs',
  users: 'Users',
  conflicts: 'Conflicts of interest',
  audit: 'Change log',
};
