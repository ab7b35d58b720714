import type { MessageShape } from '../shape.js';

export const sv = {
  notFoundTitle: 'Sidan finns inte',
  notFoundText: 'Det du sökte finns inte, eller så har du inte behörighet att se det.',
  forbiddenTitle: 'Åtkomst nekad',
  forbiddenText: 'Du har inte behörighet att göra detta.',
  csrfText: 'Formuläret hade gått ut eller kom inte från den här sidan. Gå tillbaka, ladda om sidan och skicka igen.',
  conflictTitle: 'Går inte just nu',
  serverErrorTitle: 'Något gick fel',
  serverErrorText: 'Ett oväntat fel inträffade. Ingenting av det du skickade har sparats. Försök igen om en stund.',
  badRequestTitle: 'Felaktig begäran',
  badRequestText: 'Begäran kunde inte läsas.',
  tooLargeText: 'Det du skickade var för stort.',
  goHome: 'Till startsidan',
};

export const en: MessageShape<typeof sv> = {
  notFoundTitle: 'Page not found',
  notFoundText: 'What you looked for does not exist, or you are not allowed to see it.',
  forbiddenTitle: 'Access denied',
  forbiddenText: 'You are not allowed to do this.',
  csrfText: 'The form had expired or did not come from this site. Go back, reload the page and submit again.',
  conflictTitle: 'Not possible right now',
  serverErrorTitle: 'Something went wrong',
  serverErrorText: 'An unexpected error occurred. Nothing you sent has been saved. Please try again in a moment.',
  badRequestTitle: 'Bad request',
  badRequestText: 'The request could not be read.',
  tooLargeText: 'What you sent was too large.',
  goHome: 'Go to the start page',
};
