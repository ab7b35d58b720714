// Append-only list of schema migrations: entry i brings the schema to version i + 1.
// Each lives in its own file under migrations/. Never edit or reorder one that has shipped; append a new one.
import * as m001 from './migrations/001-core.js';
import * as m002 from './migrations/002-integrity.js';
import * as m003 from './migrations/003-login-attempts.js';
import * as m004 from './migrations/004-research.js';
import * as m005 from './migrations/005-program-work.js';
import * as m006 from './migrations/006-readiness-version.js';
import * as m007 from './migrations/007-outcome-version.js';
import * as m008 from './migrations/008-barriers.js';
import * as m009 from './migrations/009-sessions-user.js';
import * as m010 from './migrations/010-panel-late-additions.js';
import * as m011 from './migrations/011-findings-version.js';
import * as m012 from './migrations/012-mfa.js';
import * as m013 from './migrations/013-report-workflow.js';
import * as m014 from './migrations/014-outcome-details.js';
import * as m015 from './migrations/015-audit-municipalities.js';
import * as m016 from './migrations/016-audit-commands.js';
import * as m017 from './migrations/017-sent-drafts.js';
import * as m018 from './migrations/018-reply-by-moves.js';
import * as m019 from './migrations/019-external-raters-per-review.js';

export const MIGRATIONS: readonly string[] = [
  m001.sql,
  m002.sql,
  m003.sql,
  m004.sql,
  m005.sql,
  m006.sql,
  m007.sql,
  m008.sql,
  m009.sql,
  m010.sql,
  m011.sql,
  m012.sql,
  m013.sql,
  m014.sql,
  m015.sql,
  m016.sql,
  m017.sql,
  m018.sql,
  m019.sql,
  // (append new migrations above this line, one per line, in order)
];
