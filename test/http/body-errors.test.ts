// Request bodies that cannot be read (broken compression, too large, too many fields, an unknown charset or
// encoding, broken multipart) are the sender's problem: a 4xx page in the user's language, and no stack trace.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestUser, extractCsrfToken, loginAgent, makeTestApp, type TestApp } from '../helpers/test-app.js';

const FORM = 'application/x-www-form-urlencoded';

/** A stack trace line as Node prints it ("    at handler (file.ts:1:2)"), as plain text or inside a JSON log line. */
const STACK_LINE = /(^|\\n)\s*at \S.*:\d+:\d+/m;

/** Posts bytes exactly as given (superagent would otherwise serialise a Buffer as a form of its bytes). */
function postRaw(t: TestApp, path: string, body: Buffer, headers: Record<string, string>, cookie?: string) {
  let post = request(t.app)
    .post(path)
    .serialize((data: unknown) => data as string);
  for (const [name, value] of Object.entries(headers)) post = post.set(name, value);
  if (cookie !== undefined) post = post.set('Cookie', cookie);
  return post.send(body);
}

function expectNoStackTrace(t: TestApp): void {
  const logged = t.logs.join('\n');
  expect(logged).not.toMatch(STACK_LINE);
  expect(logged).not.toContain('"stack"');
  expect(logged).not.toContain('failed');
  // Nothing at error level at all (pino's JSON lines say "level":"error" or 50).
  expect(logged).not.toMatch(/"level":\s*("error"|"fatal"|50|60)/);
}

describe('a urlencoded form body that cannot be read', () => {
  const broken: readonly [string, string, Buffer][] = [
    ['gzip', 'not gzip data', Buffer.from('this is not gzip at all')],
    ['gzip', 'a gzip stream cut short', gzipSync('email=a%40example.org&password=x').subarray(0, 15)],
    ['deflate', 'not deflate data', Buffer.from('this is not deflate at all')],
    ['br', 'not brotli data', Buffer.from('this is not brotli at all, not a bit of it')],
  ];
  for (const [encoding, what, body] of broken) {
    it(`when Content-Encoding is ${encoding} and the body is ${what}, then it answers 400 with the error page and logs no stack`, async () => {
      const t = makeTestApp();
      const response = await postRaw(t, '/login', body, { 'Content-Type': FORM, 'Content-Encoding': encoding });
      expect(response.status).toBe(400);
      expect(response.text).toContain('<html lang="sv">');
      expect(response.text).toContain('<h1>Felaktig begäran</h1>');
      expect(response.text).toContain('Formuläret var komprimerat men gick inte att packa upp.');
      expectNoStackTrace(t);
    });
  }

  it('when the language chosen is English, then the 400 page is in English', async () => {
    const t = makeTestApp();
    const response = await postRaw(t, '/login', Buffer.from('garbage'), { 'Content-Type': FORM, 'Content-Encoding': 'gzip' }, 'lang=en');
    expect(response.status).toBe(400);
    expect(response.text).toContain('<html lang="en">');
    expect(response.text).toContain('<h1>Bad request</h1>');
    expect(response.text).toContain('The form was compressed but could not be decompressed.');
    expectNoStackTrace(t);
  });

  it('when the body is well compressed, then it is read as usual (gzip, deflate and br)', async () => {
    const t = makeTestApp();
    const user = await createTestUser(t.db, ['reviewer']);
    for (const [encoding, compress] of [
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      ['br', brotliCompressSync],
    ] as const) {
      const agent = request.agent(t.app);
      const token = extractCsrfToken((await agent.get('/login')).text);
      const body = new URLSearchParams({ _csrf: token, email: user.email, password: user.password }).toString();
      const response = await agent
        .post('/login')
        .serialize((data: unknown) => data as string)
        .set('Content-Type', FORM)
        .set('Content-Encoding', encoding)
        .send(compress(body));
      expect(response.status, encoding).toBe(303);
    }
  });

  it('when a compressed body inflates past the size limit (a zip bomb), then it answers 413', async () => {
    const t = makeTestApp();
    const bomb = gzipSync(Buffer.alloc(5 * 1024 * 1024, 0x61));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const response = await postRaw(t, '/login', bomb, { 'Content-Type': FORM, 'Content-Encoding': 'gzip' });
    expect(response.status).toBe(413);
    expect(response.text).toContain('Det du skickade var för stort.');
    expectNoStackTrace(t);
  });

  it('when the body is over the size limit, then it answers 413', async () => {
    const t = makeTestApp();
    const response = await postRaw(t, '/login', Buffer.from(`email=${'a'.repeat(300 * 1024)}`), { 'Content-Type': FORM });
    expect(response.status).toBe(413);
    expect(response.text).toContain('Det du skickade var för stort.');
    expectNoStackTrace(t);
  });

  it('when the body has too many fields, then it answers 413 saying so', async () => {
    const t = makeTestApp();
    const fields = Array.from({ length: 3001 }, (_, i) => `f${i}=1`).join('&');
    const response = await postRaw(t, '/login', Buffer.from(fields), { 'Content-Type': FORM });
    expect(response.status).toBe(413);
    expect(response.text).toContain('Formuläret hade för många fält.');
    expectNoStackTrace(t);
  });

  it('when the charset is unknown or not one urlencoded forms use, then it answers 415', async () => {
    const t = makeTestApp();
    for (const charset of ['klingon', 'utf-16']) {
      const response = await postRaw(t, '/login', Buffer.from('email=a'), { 'Content-Type': `${FORM}; charset=${charset}` });
      expect(response.status, charset).toBe(415);
      expect(response.text).toContain('Skicka det som UTF-8.');
    }
    expectNoStackTrace(t);
  });

  it('when the Content-Encoding is not one the server reads, then it answers 415', async () => {
    const t = makeTestApp();
    for (const encoding of ['compress', 'x-unknown']) {
      const response = await postRaw(t, '/login', Buffer.from('email=a'), { 'Content-Type': FORM, 'Content-Encoding': encoding });
      expect(response.status, encoding).toBe(415);
      expect(response.text).toContain('Formuläret var komprimerat på ett sätt som inte stöds');
    }
    expectNoStackTrace(t);
  });
});

describe('a multipart body of the research import that cannot be read', () => {
  async function researcherForm(t: TestApp) {
    const researcher = await createTestUser(t.db, ['researcher']);
    const agent = await loginAgent(t.app, researcher.email);
    const token = extractCsrfToken((await agent.get('/research/import')).text);
    return { agent, token };
  }

  function multipart(boundary: string, parts: readonly string[], end = true): Buffer {
    return Buffer.from(`${parts.map((part) => `--${boundary}\r\n${part}\r\n`).join('')}${end ? `--${boundary}--\r\n` : ''}`);
  }

  const field = (name: string, value: string) => `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`;
  const countImports = (t: TestApp) => t.db.prepare('SELECT COUNT(*) FROM imported_reviews').pluck().get();

  it('when the multipart body is malformed, then it answers 400 with the form and a message, and logs no stack', async () => {
    const t = makeTestApp();
    const { agent, token } = await researcherForm(t);
    const boundary = 'b0undary';
    const body = multipart(
      boundary,
      [field('_csrf', token), 'Content-Disposition: form-data; name="csv_file"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\na,b'],
      false,
    );
    const response = await agent
      .post('/research/import')
      .serialize((data: unknown) => data as string)
      .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
      .send(body);
    expect(response.status).toBe(400);
    expect(response.text).toContain('Formuläret kunde inte läsas.');
    expect(countImports(t)).toBe(0);
    expectNoStackTrace(t);
  });

  it('when the multipart body has too many parts, then it answers 413 saying so', async () => {
    const t = makeTestApp();
    const { agent, token } = await researcherForm(t);
    const boundary = 'b0undary';
    const parts = [field('_csrf', token), ...Array.from({ length: 20 }, (_, i) => field(`extra${i}`, 'x'))];
    const response = await agent
      .post('/research/import')
      .serialize((data: unknown) => data as string)
      .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
      .send(multipart(boundary, parts));
    expect(response.status).toBe(413);
    expect(response.text).toContain('Formuläret hade för många fält.');
    expect(countImports(t)).toBe(0);
    expectNoStackTrace(t);
  });

  it('when the file is over the limit, then it answers 413 naming the limit', async () => {
    const t = makeTestApp();
    const { agent, token } = await researcherForm(t);
    const response = await agent
      .post('/research/import')
      .field('_csrf', token)
      .field('rubric', 'mini-five')
      .field('kind', 'peer_review')
      .attach('csv_file', Buffer.alloc(10 * 1024 * 1024 + 1, 0x20), { filename: 'big.csv', contentType: 'text/csv' });
    expect(response.status).toBe(413);
    expect(response.text).toContain('Filen är större än 10 MB.');
    expect(countImports(t)).toBe(0);
    expectNoStackTrace(t);
  });

  it('when the multipart body claims gzip but is not, then it answers 400 and logs no stack', async () => {
    const t = makeTestApp();
    const { agent } = await researcherForm(t);
    const response = await agent
      .post('/research/import')
      .serialize((data: unknown) => data as string)
      .set('Content-Type', 'multipart/form-data; boundary=xyz')
      .set('Content-Encoding', 'gzip')
      .send(Buffer.from('not gzip, not multipart'));
    expect(response.status).toBe(400);
    expect(response.text).toContain('<h1>Felaktig begäran</h1>');
    expect(countImports(t)).toBe(0);
    expectNoStackTrace(t);
  });
});
