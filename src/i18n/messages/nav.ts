import type { MessageShape } from '../shape.js';

export const sv = {
  home: 'Start',
  municipalities: 'Kommuner och program',
  users: 'Användare',
};

export const en: MessageShape<typeof sv> = {
  home: 'Home',
  municipalities: 'Municipalities and programs',
  users: 'Users',
};
