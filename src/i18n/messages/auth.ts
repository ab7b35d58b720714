import type { MessageShape } from '../shape.js';

export const sv = {
  loginTitle: 'Logga in',
  email: 'E-postadress',
  password: 'Lösenord',
  passwordConfirm: 'Upprepa lösenordet',
  loginButton: 'Logga in',
  logout: 'Logga ut',
  loggedInAs: 'Inloggad som {name}',
  loginFailed: 'Fel e-postadress eller lösenord.',
  loginRequired: 'Logga in för att fortsätta.',
  sessionExpired: 'Du har loggats ut eftersom sessionen var för gammal. Logga in igen.',
  setupTitle: 'Skapa den första administratören',
  setupIntro:
    'Databasen är tom. Skapa kontot för den första administratören. Länken fungerar bara en gång och bara tills ett administratörskonto finns.',
  setupButton: 'Skapa administratör',
  displayName: 'Namn',
  affiliation: 'Organisation',
  affiliationHint: 'Kommun, utförare, lärosäte eller annan organisation.',
  passwordHint:
    'Minst {min} tecken. En lång fras är lättare att minnas och svårare att gissa. Vanliga lösenord, namnet och e-postadressen godtas inte.',
  passwordsDiffer: 'Lösenorden är inte lika.',
  passwordTooShort: 'Lösenordet måste ha minst {min} tecken.',
  emailTaken: 'Det finns redan ett konto med den e-postadressen.',
  passwordTooCommon: 'Lösenordet är för lätt att gissa: det är ett vanligt lösenord eller bygger på ett. Välj en längre fras av ord som inte hör ihop.',
  passwordContextual: 'Lösenordet får inte innehålla kontots namn, e-postadress eller tjänstens namn.',
  loginLocked: 'För många misslyckade inloggningsförsök. Av säkerhetsskäl är inloggningen spärrad en stund. Försök igen om {minutes} min.',
};

export const en: MessageShape<typeof sv> = {
  loginTitle: 'Log in',
  email: 'Email address',
  password: 'Password',
  passwordConfirm: 'Repeat the password',
  loginButton: 'Log in',
  logout: 'Log out',
  loggedInAs: 'Logged in as {name}',
  loginFailed: 'Wrong email address or password.',
  loginRequired: 'Log in to continue.',
  sessionExpired: 'You have been logged out because the session was too old. Please log in again.',
  setupTitle: 'Create the first administrator',
  setupIntro:
    'The database is empty. Create the account of the first administrator. The link works once, and only until an administrator account exists.',
  setupButton: 'Create administrator',
  displayName: 'Name',
  affiliation: 'Organisation',
  affiliationHint: 'Municipality, provider, university or other organisation.',
  passwordHint:
    'At least {min} characters. A long phrase is easier to remember and harder to guess. Common passwords, the name and the email address are not accepted.',
  passwordsDiffer: 'The passwords are not the same.',
  passwordTooShort: 'The password must have at least {min} characters.',
  emailTaken: 'There is already an account with that email address.',
  passwordTooCommon: 'The password is too easy to guess: it is a common password or built on one. Choose a longer phrase of unrelated words.',
  passwordContextual: 'The password must not contain the account’s name, email address or the name of this service.',
  loginLocked: 'Too many failed login attempts. For security, logging in is blocked for a while. Try again in {minutes} min.',
};
