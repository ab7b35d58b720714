import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { encodeUtf8 } from '../../src/http/render-page.js';
import { createTestUser, extractCsrfToken, makeTestApp } from '../helpers/test-app.js';

describe('renderPage', () => {
  it('when a page holds text of one to four UTF-8 bytes a character, then it is sent as UTF-8 with its exact length', async () => {
    const { app, db } = makeTestApp();
    await createTestUser(db, ['reviewer']);
    const page = await request(app).get('/login');
    // A refused login keeps the typed address: ASCII, å (2 bytes), – (3 bytes) and an emoji (4 bytes, two UTF-16 units).
    const typed = 'åsa–😀@example.se';
    const refused = await request(app)
      .post('/login')
      .set('Cookie', page.headers['set-cookie']?.[0]?.split(';')[0] ?? '')
      .type('form')
      .send({ _csrf: extractCsrfToken(page.text), email: typed, password: 'wrong' });
    expect(refused.status).toBe(401);
    expect(refused.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(refused.text).toContain(`value="${typed}"`);
    expect(refused.text).toContain('Bostad först – modelltrohet');
    expect(Number(refused.headers['content-length'])).toBe(Buffer.byteLength(refused.text));
  });

  it('when text is encoded, then the bytes are those of Buffer.from, for every kind of character and for none', () => {
    for (const text of ['', 'ascii', 'Bostad först – modelltrohet', '😀'.repeat(1000), `${'å'.repeat(5000)}”\u{10FFFF}`]) {
      expect(encodeUtf8(text).equals(Buffer.from(text, 'utf8'))).toBe(true);
    }
  });

  it('when a page is large, then its bytes are not held in a buffer three times their size', () => {
    const text = `${'å'.repeat(100_000)}😀`;
    const bytes = encodeUtf8(text);
    expect(bytes.equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(bytes.buffer.byteLength).toBeLessThan(text.length * 3);
  });
});
