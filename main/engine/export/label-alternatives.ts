/**
 * When an export comes out empty, the usual cause is the label source: `majority` counts human
 * labels only, so a database labeled by `autolabel` alone gives it nothing. This counts what each
 * other label source present in the database would give with the same filters and format, so the
 * user is told which choice has data instead of being left with an empty folder.
 */
import type { ExportOptions, LabelSource } from '../../../common/contract/export';
import type { Connection } from '../store/db';
import { exportReads } from '../store/export-reads';
import { previewExport, type ExportControl } from './run-export';

export interface LabelAlternative {
  /** As typed after `--labels` on the command line: `auto:mc`, `annotator:alice`, `exact`, ... */
  flag: string;
  source: LabelSource;
  records: number;
}

export function labelFlag(source: LabelSource): string {
  if (source.kind === 'annotator') return `annotator:${source.annotator}`;
  if (source.kind === 'auto') return `auto:${source.source}`;
  return source.kind;
}

/** Label sources that could hold data here: stored automatic labels, annotators, and the computed ones. */
function candidateSources(db: Connection): LabelSource[] {
  const { autoSources: auto, annotators, hasExactLabels: hasExact, hasAdjudications } = exportReads(db).labelSourcesPresent();
  return [
    ...auto.map((source) => ({ kind: 'auto', source }) as const),
    ...(annotators.length ? [{ kind: 'majority' } as const] : []),
    ...(hasAdjudications ? [{ kind: 'adjudicated' } as const] : []),
    ...annotators.map((annotator) => ({ kind: 'annotator', annotator }) as const),
    ...(hasExact ? [{ kind: 'exact' } as const] : []),
    { kind: 'mc' } as const,
  ];
}

/** Every other label source that would give records, most records first. */
export async function labelAlternatives(db: Connection, options: ExportOptions, control: ExportControl = {}): Promise<LabelAlternative[]> {
  const current = labelFlag(options.labels);
  const found: LabelAlternative[] = [];
  for (const source of candidateSources(db)) {
    const flag = labelFlag(source);
    if (flag === current) continue;
    const { records } = await previewExport(db, { ...options, labels: source }, control);
    if (records > 0) found.push({ flag, source, records });
  }
  return found.sort((a, b) => b.records - a.records);
}
