// Text the personnummer guard must let through: numbers that are not about a person, written the way Swedish
// municipal staff write them (phone numbers, times, case and organisation numbers, postcodes, amounts). Part is
// written by hand, part generated from a fixed seed so that the refusal rate is measured over many numbers and is the
// same on every run.
import { createRandom, type Random } from '../../src/demo/seeded-random.js';

export type CorpusCategory = {
  readonly name: string;
  readonly texts: readonly string[];
};

const SEED = 20_261_206;
/** Generated numbers per written form. */
const PER_FORM = 200;

function digits(random: Random, count: number, first = '0123456789'): string {
  let text = first[Math.floor(random() * first.length)] ?? '';
  for (let i = 1; i < count; i++) text += String(Math.floor(random() * 10));
  return text;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** Luhn check digit over `digits` (weights 2, 1, 2, …), as organisation numbers carry it. */
function luhnCheckDigit(body: string): string {
  let sum = 0;
  [...body].forEach((char, index) => {
    const product = Number(char) * (index % 2 === 0 ? 2 : 1);
    sum += Math.floor(product / 10) + (product % 10);
  });
  return String((10 - (sum % 10)) % 10);
}

/** Mobile numbers 07X-XXX XX XX in every usual written form. */
function mobileNumbers(random: Random): string[] {
  const texts: string[] = [];
  for (let i = 0; i < PER_FORM; i++) {
    const prefix = ['70', '72', '73', '76', '79'][i % 5] ?? '70';
    const s = digits(random, 7, '123456789');
    const [a, b, c] = [s.slice(0, 3), s.slice(3, 5), s.slice(5)];
    texts.push(
      `Ring 0${prefix}-${a} ${b} ${c}.`,
      `Mobil: 0${prefix} ${a} ${b} ${c}`,
      `Tel 0${prefix}-${s}`,
      `Nås på +46 ${prefix} ${a} ${b} ${c} dagtid.`,
      `+46 (0)${prefix}-${a} ${b} ${c}`,
      `Kontakt: +46${prefix}${s}`,
      `0${prefix}\u2011${a}\u00a0${b}\u00a0${c} (kontaktperson)`,
    );
  }
  return texts;
}

/** The same numbers as ten digits without any separator, as they are often pasted from a contact list. */
function mobileNumbersWithoutSeparators(random: Random): string[] {
  const texts: string[] = [];
  for (let i = 0; i < PER_FORM * 5; i++) {
    const prefix = ['70', '72', '73', '76', '79'][i % 5] ?? '70';
    texts.push(`Ring 0${prefix}${digits(random, 7, '123456789')}`);
  }
  return texts;
}

/** Landline numbers: Stockholm (08), Göteborg (031), Malmö (040), Växjö (0470), Kiruna (0980). */
function landlineNumbers(random: Random): string[] {
  const texts: string[] = [];
  for (let i = 0; i < PER_FORM; i++) {
    const eight = digits(random, 8, '123456789');
    const seven = digits(random, 7, '123456789');
    const six = digits(random, 6, '123456789');
    const five = digits(random, 5, '123456789');
    texts.push(
      `Växel 08-${eight.slice(0, 3)} ${eight.slice(3, 6)} ${eight.slice(6)}`,
      `Tel. 08-${seven.slice(0, 3)} ${seven.slice(3, 5)} ${seven.slice(5)}`,
      `08-${six.slice(0, 2)} ${six.slice(2, 4)} ${six.slice(4)}`,
      `Ring 031-${seven.slice(0, 3)} ${seven.slice(3, 5)} ${seven.slice(5)} eller 040-${six.slice(0, 2)} ${six.slice(2, 4)} ${six.slice(4)}`,
      `Socialtjänsten Växjö 0470-${five.slice(0, 3)} ${five.slice(3)}`,
      `Kiruna 0980-${six.slice(0, 2)} ${six.slice(2, 4)} ${six.slice(4)}`,
      `+46 8 ${eight.slice(0, 3)} ${eight.slice(3, 6)} ${eight.slice(6)}`,
      `Fax 08 ${eight.slice(0, 3)} ${eight.slice(3, 6)} ${eight.slice(6)}`,
      `Tel 08${eight}`,
      `Tel 031${seven}`,
    );
  }
  return texts;
}

/** Dates and times as software and people write them, 2020–2030. */
function timestamps(random: Random): string[] {
  const texts: string[] = [];
  const months = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];
  for (let i = 0; i < PER_FORM; i++) {
    const year = 2020 + Math.floor(random() * 11);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    const hour = Math.floor(random() * 24);
    const minute = Math.floor(random() * 60);
    const second = Math.floor(random() * 60);
    const date = `${year}-${pad(month)}-${pad(day)}`;
    const compact = `${year}${pad(month)}${pad(day)}`;
    const time = `${pad(hour)}:${pad(minute)}`;
    texts.push(
      `Möte ${date} ${time}`,
      `Senast ändrad ${date} ${time}:${pad(second)}`,
      `${date}T${time}:${pad(second)}Z`,
      `${date}T${time}:${pad(second)}+01:00`,
      `Export ${compact}T${pad(hour)}${pad(minute)}${pad(second)}`,
      `Platsbesök ${day}/${month} ${year} kl. ${pad(hour)}.${pad(minute)}`,
      `${pad(day)}.${pad(month)}.${year} ${time}`,
      `${day} ${months[month - 1] ?? 'mars'} ${year} kl ${hour}.${pad(minute)}`,
      `Period ${date} \u2013 ${year}-${pad(month)}-${pad(Math.min(28, day + 1))}`,
      `rapport_${compact}_${pad(hour)}${pad(minute)}${pad(second)}.pdf`,
      // Refused when the date exists and the Luhn check happens to hold (about 1 in 10): '_' separates the parts of a
      // pasted personnummer too.
      `Protokoll_${compact}_${pad(hour)}${pad(minute)}.docx`,
      `Vecka ${1 + Math.floor(random() * 52)} ${year}, ${date}`,
    );
  }
  return texts;
}

/** Case (diary) numbers of municipal boards. */
function caseNumbers(random: Random): string[] {
  const texts: string[] = [];
  const boards = ['SN', 'KS', 'SDN', 'ÄN', 'SOCN', 'BUN'];
  for (let i = 0; i < PER_FORM; i++) {
    const board = boards[i % boards.length] ?? 'SN';
    const year = 2015 + Math.floor(random() * 12);
    const number = 1 + Math.floor(random() * 9999);
    texts.push(
      `dnr ${board} ${year}/${number}`,
      `Dnr ${board} ${year}/${pad(number, 4)}`,
      `Ärende ${board} ${year}/${number}-${pad(1 + Math.floor(random() * 99))}`,
      `Dnr ${year}-${pad(number, 4)}`,
      `Dnr ${board} ${year}:${number}`,
      `Dnr 2.3.${1 + Math.floor(random() * 9)}-${year}/${number}`,
      `Beslut ${board} § ${number}/${year}`,
    );
  }
  return texts;
}

/**
 * Organisation numbers with a valid check digit. The third digit is 2 or more in every organisation number (the
 * "month" 20 or more), which is what keeps them apart from personnummer; municipalities start 212000-.
 */
function organisationNumbers(random: Random): string[] {
  const texts: string[] = [];
  for (let i = 0; i < PER_FORM; i++) {
    const group = ['2', '5', '7', '8', '9'][i % 5] ?? '5';
    const body = group + digits(random, 1) + digits(random, 1, '23456789') + digits(random, 6);
    const number = body + luhnCheckDigit(body);
    const separated = `${number.slice(0, 6)}-${number.slice(6)}`;
    texts.push(
      `Org.nr ${separated}`,
      `Organisationsnummer ${number}`,
      `Org nr 16${separated}`,
      `Momsreg.nr SE${number}01`,
      `Leverantör (org.nr ${number.slice(0, 6)} ${number.slice(6)})`,
    );
  }
  // Real municipalities: Stockholm, Göteborg, Malmö, Huddinge, Botkyrka.
  texts.push(
    'Stockholms stad 212000-0142',
    'Göteborgs Stad 212000-1355',
    'Malmö stad 212000-1124',
    'Huddinge kommun 212000-0076',
    'Botkyrka kommun 212000-2882',
  );
  return texts;
}

function postcodes(random: Random): string[] {
  const texts: string[] = [];
  const towns = ['Stockholm', 'Göteborg', 'Malmö', 'Huddinge', 'Tumba', 'Uppsala'];
  for (let i = 0; i < PER_FORM; i++) {
    const code = digits(random, 5, '123456789');
    const town = towns[i % towns.length] ?? 'Stockholm';
    const street = 1 + Math.floor(random() * 150);
    texts.push(
      `${code.slice(0, 3)} ${code.slice(3)} ${town}`,
      `Storgatan ${street}, ${code.slice(0, 3)} ${code.slice(3)} ${town}`,
      `Box ${1 + Math.floor(random() * 9999)}, SE-${code.slice(0, 3)} ${code.slice(3)} ${town}`,
      `Postnummer ${code}`,
    );
  }
  return texts;
}

function amounts(random: Random): string[] {
  const texts: string[] = [];
  const group = (value: number) => String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  for (let i = 0; i < PER_FORM; i++) {
    const large = Math.floor(random() * 50_000_000);
    const small = Math.floor(random() * 100_000);
    const ore = pad(Math.floor(random() * 100));
    texts.push(
      `Budget ${group(large)} kr`,
      `Kostnad ${group(small)},${ore} kr`,
      `${group(small)}:-`,
      `Summa ${large} kr, varav ${small} kr i avdrag`,
      `Hyra ${group(small)} kr/mån, deposition ${group(small * 3)} kr`,
      `${(large / 1_000_000).toFixed(1).replace('.', ',')} mkr`,
      `Belopp ${large}.${ore}`,
      `Anslag ${group(large)} SEK (${group(small)} SEK per plats)`,
    );
  }
  return texts;
}

/** Hand-written examples, including the forms the refusal message recommends. */
const WRITTEN_BY_HAND: readonly CorpusCategory[] = [
  {
    name: 'phone numbers (by hand)',
    texts: [
      '070-123 45 67',
      '08-123 456 78',
      '+46 70 123 45 67',
      '0701234567',
      '031-12 34 56',
      '0470-123 45',
      'Ring +46 (0)70-123 45 67 eller 08-123 456 78.',
      'Journummer 020-12 34 56',
    ],
  },
  {
    name: 'times and dates (by hand)',
    texts: [
      '2026-03-10 14:30',
      '20260310T143000',
      '2026-03-10T14:30:00Z',
      '10 mars 2026 kl. 14.30',
      'Period 2026-03-02 \u2013 2026-06-30',
      'Åren 2019\u20132026',
    ],
  },
  { name: 'case numbers (by hand)', texts: ['dnr SN 2024/1234', 'Dnr KS 2023/0412', 'Ärende SN 2021/123-45', 'Dnr 2023-0412'] },
  { name: 'organisation numbers (by hand)', texts: ['556123-4567', '212000-0142', 'Volvo AB 556036-0793', 'Org.nr 165560360793'] },
  {
    name: 'postcodes and amounts (by hand)',
    texts: ['114 55 Stockholm', 'SE-411 04 Göteborg', '1 250 000 kr', '12 500,50 kr', '3 500:-', 'Summa 150000 - 2500 = 147500.'],
  },
];

/** Every category of the corpus; the generated ones are the same on every run. */
export function buildFalsePositiveCorpus(): readonly CorpusCategory[] {
  const random = createRandom(SEED);
  return [
    ...WRITTEN_BY_HAND,
    { name: 'mobile numbers, usual written forms', texts: mobileNumbers(random) },
    { name: 'mobile numbers, ten digits without separator', texts: mobileNumbersWithoutSeparators(random) },
    { name: 'landline numbers', texts: landlineNumbers(random) },
    { name: 'dates and times', texts: timestamps(random) },
    { name: 'case numbers', texts: caseNumbers(random) },
    { name: 'organisation numbers', texts: organisationNumbers(random) },
    { name: 'postcodes', texts: postcodes(random) },
    { name: 'amounts', texts: amounts(random) },
  ];
}
