// The audit log reads as Swedish: what changed by its name, each stored value as "label: value"
// instead of raw JSON, times in Stockholm's local time instead of "Tid (UTC)", and who acted, a user of the app or a
// command-line tool run on the server. The CSV keeps the stored values.
import { describe, expect, it } from 'vitest';
import { createTotpSecret } from '../../src/accounts/mfa.js';
import { createTotpSecretStore } from '../../src/accounts/mfa-store.js';
import { recordCommandActor } from '../../src/db/audit-actor.js';
import { formatStockholmTime } from '../../src/i18n/format.js';
import { createTranslator } from '../../src/i18n/messages.js';
import { createOutcomeStore } from '../../src/outcomes/outcome-store.js';
import { createReviewScenario, startRating } from '../helpers/review-scenario.js';
import { createTestUser, loginAgent, makeTestApp } from '../helpers/test-app.js';
import { createTestClock } from '../helpers/test-clock.js';

describe('the audit log as people read it', () => {
  it('when a time is shown, then it is Stockholm time, summer time included', () => {
    expect(formatStockholmTime('2026-01-15T12:00:00.000Z')).toBe('2026-01-15 13:00:00');
    expect(formatStockholmTime('2026-07-01T22:30:05.123Z')).toBe('2026-07-02 00:30:05');
    expect(formatStockholmTime('2026-03-10 08:00:00')).toBe('2026-03-10 09:00:00');
  });

  it('when an administrator opens the log, then entries show named fields and local time, and the CSV keeps the stored values', async () => {
    const s = await createReviewScenario();
    startRating(s);
    const admin = await createTestUser(s.db, ['admin']);
    const agent = await s.login(admin);
    const page = await agent.get('/admin/audit');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Tid (UTC)');
    expect(page.text).toMatch(/<th role="columnheader" scope="col">Tid<\/th>/);
    // The panel's entries: what changed by name, the role by its name, no JSON.
    expect(page.text).toContain('Panelmedlem');
    expect(page.text).toContain(`<span class="audit-values__label">Roll:</span> ${createTranslator('sv')('reviews.panelRole.lead')}`);
    expect(page.text).not.toContain('{&#34;role&#34;');
    expect(page.text).not.toContain('{"role"');
    // The time shown is the stored UTC time in Stockholm's time.
    const stored = s.db.prepare("SELECT at FROM audit_log WHERE entity = 'panel_member' ORDER BY id LIMIT 1").get() as { at: string };
    expect(page.text).toContain(`<time datetime="${stored.at}">${formatStockholmTime(stored.at)}</time>`);
    const english = await agent.get('/admin/audit?lang=en');
    expect(english.text).toContain('<span class="audit-values__label">Role:</span>');
    expect(english.text).toMatch(/<th role="columnheader" scope="col">Time<\/th>/);
    // The CSV is for machines: the stored values as they are.
    const csv = await agent.get('/admin/audit.csv');
    expect(csv.text).toContain('panel_member');
    // For Excel: a byte-order mark and semicolons between the fields.
    expect(csv.text.startsWith('\ufeffid;')).toBe(true);
    expect(csv.text).toContain('""role"":""lead""');
  });

  it("when an outcome period is recorded, then its fields carry the outcome form's names in either language", async () => {
    const s = await createReviewScenario();
    const admin = await createTestUser(s.db, ['admin']);
    const saved = createOutcomeStore(s.db).insertPeriod(
      s.programId,
      {
        periodStart: '2025-01-01',
        periodEnd: '2025-12-31',
        movedIn: 12,
        stillFirstFlat: 10,
        stillInProgram: 11,
        firstHandLeases: 3,
        evictions: 0,
        complaints: 1,
        clients: 14,
        caseManagers: 2,
        note: '',
      },
      admin.id,
    );
    expect(saved.outcome).toBe('saved');
    const agent = await s.login(admin);
    const label = (text: string) => `<span class="audit-values__label">${text}:</span>`;
    const page = await agent.get('/admin/audit');
    const sv = createTranslator('sv');
    for (const field of ['moved_in', 'offered', 'median_days_to_keys', 'still_first_flat', 'case_managers'] as const) {
      expect(page.text).toContain(label(sv(`outcomes.fields.${field}`)));
    }
    // Fields the log did not name before fell back to their column's words, in English on a Swedish page.
    expect(page.text).not.toContain(label('Moved in'));
    expect(page.text).not.toContain(label('Median days to keys'));
    const english = await agent.get('/admin/audit?lang=en');
    expect(english.text).toContain(label(createTranslator('en')('outcomes.fields.moved_in')));
  });
});

describe('who acted, in the audit log', () => {
  it('when a command-line tool wrote entries, then the page names the tool and its OS user, beside the user of the app when there is one, and the CSV has them in columns of their own', async () => {
    // A clock of the test's: renewed recovery codes are logged when their time changes, which it may not within a
    // millisecond of the enrolment on the real clock.
    const clock = createTestClock();
    const { app, db, services } = makeTestApp({ clock: clock.now });
    const admin = await createTestUser(db, ['admin']);
    const user = await createTestUser(db, ['reviewer']);
    services.mfa.enableTotp(user.id, createTotpSecret(), [], 0);
    clock.advance(1_000);
    // From here on, this connection writes as a tool would (openCommandDatabase does this for mfa:reset and the others).
    recordCommandActor(db, 'mfa:reset', 'drift');
    services.mfa.renewRecoveryCodes(user.id, []);
    createTotpSecretStore(db).removeAllTotp();

    const agent = await loginAgent(app, admin.email);
    const actors = (html: string) => [...html.matchAll(/data-label="(?:Vem|Who)">([^<]*)<\/td>/g)].map((m) => m[1]);
    // Newest first: the tool alone, the tool writing as the user, and the user before any tool ran.
    expect(actors((await agent.get('/admin/audit')).text).slice(0, 3)).toEqual([
      'mfa:reset (kommandoraden, OS-användare drift)',
      `${user.displayName}, via mfa:reset (kommandoraden, OS-användare drift)`,
      user.displayName,
    ]);
    expect(actors((await agent.get('/admin/audit?lang=en')).text).slice(0, 2)).toEqual([
      'mfa:reset (command line, OS user drift)',
      `${user.displayName}, via mfa:reset (command line, OS user drift)`,
    ]);
    // Entries nobody wrote, neither a user nor a tool (the accounts made above, straight through the store), stay "Systemet".
    expect(actors((await agent.get('/admin/audit')).text)).toContain('Systemet');

    const csv = (await agent.get('/admin/audit.csv')).text.split('\r\n');
    expect(csv[0]).toBe(
      '\ufeffid;at;actor_id;actor;entity;entity_key;review_id;action;old_value;new_value;values_withheld;command;os_user',
    );
    const mfaLines = csv.filter((line) => line.includes(';mfa;'));
    expect(mfaLines.map((line) => line.split(';').slice(-2).join(';'))).toEqual([';', 'mfa:reset;drift', 'mfa:reset;drift']);
    // The audit log's rows stay as the triggers wrote them: the acting user, or none.
    expect(db.prepare("SELECT actor_id FROM audit_log WHERE entity = 'mfa' ORDER BY id").pluck().all()).toEqual([user.id, user.id, null]);
  });
});
