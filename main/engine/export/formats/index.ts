/** The export formats by name. */
import type { ExportFormat } from '../../../../common/contract/export';
import { mathShepherdFormat } from './math-shepherd';
import { preferenceFormat } from './preference';
import { prm800kFormat } from './prm800k';
import { traceFormat } from './trace';
import { trlFormat } from './trl';
import type { ExportFormatWriter } from './types';

export const FORMATS: Record<ExportFormat, ExportFormatWriter> = {
  trl: trlFormat,
  prm800k: prm800kFormat,
  'math-shepherd': mathShepherdFormat,
  trace: traceFormat,
  preference: preferenceFormat,
};
