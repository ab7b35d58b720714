import type { MessageShape } from '../shape.js';

export const sv = {
  required: 'Fyll i fältet.',
  invalid: 'Värdet är ogiltigt.',
  tooLong: 'Texten är för lång (högst {max} tecken).',
  lineTooLong: 'Rad {line} är för lång (högst {max} tecken per rad).',
  tooManyLines: 'Skriv högst {max} punkter, en per rad.',
  tooShort: 'Texten är för kort (minst {min} tecken).',
  notANumber: 'Ange ett heltal.',
  outOfRange: 'Ange ett värde mellan {min} och {max}.',
  tooHigh: 'Ange högst {max}.',
  tooLow: 'Ange minst {min}.',
  invalidChoice: 'Välj ett av alternativen.',
  notApplicableRefused: 'Indikator {indicator} måste bedömas: den kan inte markeras som ej tillämplig.',
  invalidDate: 'Ange ett datum som ÅÅÅÅ-MM-DD.',
  invalidEmail: 'Ange en giltig e-postadress.',
  duplicateField: 'Fältet skickades mer än en gång.',
  personalIdentityNumber:
    'Texten innehåller något som ser ut som ett personnummer eller samordningsnummer ({numbers}). Verktyget får inte innehålla uppgifter om enskilda personer: ta bort numret. Är det ett telefonnummer? Skriv det med riktnummer, bindestreck och mellanslag, till exempel 08-123 456 78 eller 070-123 45 67.',
  controlCharacters: 'Texten innehåller otillåtna tecken.',
  municipalityCode: 'Ange den fyrsiffriga kommunkoden (till exempel 0180).',
  endBeforeStart: 'Slutdatumet kan inte vara före startdatumet.',
};

export const en: MessageShape<typeof sv> = {
  required: 'Fill in this field.',
  invalid: 'The value is not valid.',
  tooLong: 'The text is too long (at most {max} characters).',
  lineTooLong: 'Line {line} is too long (at most {max} characters a line).',
  tooManyLines: 'Write at most {max} points, one a line.',
  tooShort: 'The text is too short (at least {min} characters).',
  notANumber: 'Enter a whole number.',
  outOfRange: 'Enter a value between {min} and {max}.',
  tooHigh: 'Enter at most {max}.',
  tooLow: 'Enter at least {min}.',
  invalidChoice: 'Choose one of the options.',
  notApplicableRefused: 'Indicator {indicator} must be rated: it cannot be marked not applicable.',
  invalidDate: 'Enter a date as YYYY-MM-DD.',
  invalidEmail: 'Enter a valid email address.',
  duplicateField: 'The field was sent more than once.',
  personalIdentityNumber:
    'The text contains what looks like a Swedish personal identity number or coordination number ({numbers}). The tool must hold no data about individuals: remove the number. Is it a phone number? Write it with its area code, a hyphen and spaces, for example 08-123 456 78 or 070-123 45 67.',
  controlCharacters: 'The text contains characters that are not allowed.',
  municipalityCode: 'Enter the four-digit municipality code (for example 0180).',
  endBeforeStart: 'The end date cannot be before the start date.',
};
