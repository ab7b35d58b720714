// The audit log as people read it: local Stockholm time instead of UTC, what changed by its name
// in the user's language, and each stored value as "label: value" lines instead of raw JSON. Display only: the log
// and its CSV keep the stored values as they are.
import { formatStockholmTime, MISSING } from '../i18n/format.js';
import { isMessageKey, type MessageKey, type Translate } from '../i18n/messages.js';
import type { AuditEntry } from './audit-store.js';

/** Fields stored as 0/1 that mean no/yes. */
const YES_NO_FIELDS = new Set(['not_applicable', 'enabled', 'disabled', 'locked_out', 'recovery_code_used', 'active', 'values_withheld']);

export type AuditValueLine = { readonly label: string; readonly value: string };

export type AuditEntryView = {
  readonly id: number;
  /** "2026-03-10 14:05:12", Stockholm time (summer time included). */
  readonly at: string;
  /** The stored UTC instant, for a <time datetime>. */
  readonly atIso: string;
  /** Who acted: the user of the app, the command-line tool (and its OS user), both, or else the system. */
  readonly actor: string;
  readonly entity: string;
  readonly entityKey: string;
  readonly reviewId: number | undefined;
  readonly action: AuditEntry['action'];
  readonly actionLabel: string;
  readonly valuesWithheld: boolean;
  readonly oldValues: readonly AuditValueLine[];
  readonly newValues: readonly AuditValueLine[];
};

/** "late_reason" → "Late reason": a field the messages do not name yet is still readable. */
function humanise(key: string): string {
  const words = key.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Where a form already names its fields, by what changed: the log shows a field as the form that sets it does. */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  outcome_period: 'outcomes.fields',
};

function labelOf(key: string, t: Translate, entity = ''): string {
  const formKey = FIELD_NAMES[entity] === undefined ? undefined : `${FIELD_NAMES[entity]}.${key}`;
  if (formKey !== undefined && isMessageKey(formKey)) return t(formKey);
  const messageKey = `audit.fields.${key}`;
  return isMessageKey(messageKey) ? t(messageKey) : humanise(key);
}

/** Where a stored code has a name in the messages, by what changed and the field ("panel_member" role "lead"). */
const VALUE_NAMES: Readonly<Record<string, string>> = {
  'panel_member.role': 'reviews.panelRole',
  'program_member.role': 'programMembers.roles',
  'review.status': 'reviews.status',
  'review.kind': 'reviews.kind',
  'program.support_model': 'municipalities.supportModels',
  'action.status': 'actions.statuses',
  'readiness_check.status': 'readiness.statuses',
};

function formatValue(key: string, value: unknown, t: Translate, entity = ''): string {
  if (value === null || value === undefined || value === '') return MISSING;
  const names = VALUE_NAMES[`${entity}.${key}`];
  if (names !== undefined && typeof value === 'string') {
    const messageKey = `${names}.${value}`;
    if (isMessageKey(messageKey)) return t(messageKey);
  }
  if (YES_NO_FIELDS.has(key) && (value === 0 || value === 1 || typeof value === 'boolean'))
    return t(value === 1 || value === true ? 'common.yes' : 'common.no');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number'))
    return value.length === 0 ? MISSING : value.join(', ');
  return JSON.stringify(value);
}

/** The lines of one stored value: an object's fields one a line, anything else as one line. */
export function describeAuditValue(stored: string | undefined, t: Translate, entity = ''): AuditValueLine[] {
  if (stored === undefined || stored === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return [{ label: '', value: stored }];
  }
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    return Object.entries(parsed as Record<string, unknown>).map(([key, value]) => ({
      label: labelOf(key, t, entity),
      value: formatValue(key, value, t, entity),
    }));
  }
  return [{ label: '', value: formatValue('', parsed, t) }];
}

/** "mfa:reset (kommandoraden, OS-användare drift)", after the user's name when a tool wrote as a user of the app. */
function describeActor(entry: AuditEntry, t: Translate): string {
  const command = entry.command && t('audit.command', { command: entry.command.name, osUser: entry.command.osUser });
  if (entry.actorName !== undefined && command !== undefined) return t('audit.actorViaCommand', { name: entry.actorName, command });
  return entry.actorName ?? command ?? t('audit.system');
}

export function describeAuditEntry(entry: AuditEntry, t: Translate): AuditEntryView {
  const entityKey = `audit.entities.${entry.entity}`;
  return {
    id: entry.id,
    at: formatStockholmTime(entry.at),
    atIso: entry.at,
    actor: describeActor(entry, t),
    entity: isMessageKey(entityKey) ? t(entityKey as MessageKey) : humanise(entry.entity),
    entityKey: entry.entityKey,
    reviewId: entry.reviewId,
    action: entry.action,
    actionLabel: t(`audit.actions.${entry.action}`),
    valuesWithheld: entry.valuesWithheld,
    oldValues: describeAuditValue(entry.oldValue, t, entry.entity),
    newValues: describeAuditValue(entry.newValue, t, entry.entity),
  };
}
