/** The export formats by name. */
import type { ExportFormat, ExportOptions, OptionsOf } from '../../../../common/contract/export';
import { mathShepherdFormat } from './math-shepherd';
import { preferenceFormat } from './preference';
import { prm800kFormat } from './prm800k';
import { traceFormat } from './trace';
import { rlFormat } from './rl';
import { transcriptFormat } from './transcript';
import { trlFormat } from './trl';
import type { ExportFormatWriter } from './types';

/** Every format in the contract's union, each with the writer typed by its own options. */
export const FORMATS: { [F in ExportFormat]: ExportFormatWriter<OptionsOf<F>> } = {
  trl: trlFormat,
  prm800k: prm800kFormat,
  'math-shepherd': mathShepherdFormat,
  trace: traceFormat,
  preference: preferenceFormat,
  rl: rlFormat,
  transcript: transcriptFormat,
};

/** The writer for these options. The union's `format` picks both, so the cast only joins what the lookup split. */
export function writerFor(options: ExportOptions): ExportFormatWriter {
  return FORMATS[options.format] as ExportFormatWriter;
}
