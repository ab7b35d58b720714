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
  tooManyFieldsText: 'Formuläret hade för många fält. Ladda om sidan och skicka igen.',
  unsupportedCharsetText: 'Formuläret var skrivet i en teckenkodning som inte stöds. Skicka det som UTF-8.',
  unsupportedEncodingText: 'Formuläret var komprimerat på ett sätt som inte stöds (använd gzip, deflate eller br, eller inget).',
  brokenEncodingText: 'Formuläret var komprimerat men gick inte att packa upp. Ladda om sidan och skicka igen.',
  serviceUnavailableTitle: 'Går inte att spara just nu',
  notSavedTitle: 'Ingenting sparades',
  storageFullText:
    'Ingenting sparades: servern har inte plats att spara (lagringen är full). Försök igen senare, eller be administratören frigöra plats.',
  storageReadOnlyText:
    'Ingenting sparades: databasen går bara att läsa just nu. Försök igen senare, eller be administratören ge servern skrivrätt till databasen.',
  storageIoText: 'Ingenting sparades: servern kunde inte skriva till sin lagring. Försök igen senare, eller säg till administratören.',
  storageBusyText:
    'Ingenting sparades: databasen var upptagen av ett annat program en längre stund. Försök spara igen om en liten stund; det du skrev finns kvar här.',
  keptFieldsIntro: 'Det här är vad du skrev. Du kan försöka spara igen, eller kopiera texten och spara den på annat håll så länge.',
  passwordNotKept: 'Lösenord och koder visas inte här: skriv in det igen.',
  retrySave: 'Försök spara igen',
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
  tooManyFieldsText: 'The form had too many fields. Reload the page and submit again.',
  unsupportedCharsetText: 'The form was written in a character encoding that is not supported. Send it as UTF-8.',
  unsupportedEncodingText: 'The form was compressed in a way that is not supported (use gzip, deflate or br, or none).',
  brokenEncodingText: 'The form was compressed but could not be decompressed. Reload the page and submit again.',
  serviceUnavailableTitle: 'Cannot save right now',
  notSavedTitle: 'Nothing was saved',
  storageFullText:
    'Nothing was saved: the server has no room to save (its storage is full). Try again later, or ask the administrator to free some space.',
  storageReadOnlyText:
    'Nothing was saved: the database can only be read right now. Try again later, or ask the administrator to give the server write access to the database.',
  storageIoText: 'Nothing was saved: the server could not write to its storage. Try again later, or tell the administrator.',
  storageBusyText:
    'Nothing was saved: the database was held by another program for too long. Try saving again in a little while; what you typed is kept here.',
  keptFieldsIntro: 'This is what you typed. You can try saving again, or copy the text and keep it elsewhere for now.',
  passwordNotKept: 'Passwords and codes are not shown here: type it again.',
  retrySave: 'Try saving again',
  goHome: 'Go to the start page',
};
