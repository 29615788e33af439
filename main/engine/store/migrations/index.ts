/**
 * Numbered schema migrations, applied in order and recorded in `schema_migrations`.
 * Append new files (002_..., 003_...) here; never edit or reorder a released one.
 */
import * as m001 from './001_initial';
import * as m002 from './002_review';
import * as m003 from './003_transcripts';
import * as m004 from './004_prm_evaluations';
import * as m005 from './005_finish_reasons';
import * as m006 from './006_import_batches';
import * as m008 from './008_history_groups';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, ...m001 },
  { version: 2, ...m002 },
  { version: 3, ...m003 },
  { version: 4, ...m004 },
  { version: 5, ...m005 },
  { version: 6, ...m006 },
  { version: 8, ...m008 },
];
