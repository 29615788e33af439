/**
 * The dataset card (README.md) written beside every export: Hugging Face front matter naming
 * the split files, then what a record is, counts, label balance, options and studio version.
 */
import type { ExportOptions, ExportSummary } from '../../../common/contract/export';
import { VERSION } from '../version';
import type { ExportFormatWriter } from './formats/types';
import { labelSourceName } from './labels';

function table(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  if (!entries.length) return '_none_';
  const total = entries.reduce((s, [, n]) => s + n, 0);
  return [
    '| value | count | share |',
    '|---|---:|---:|',
    ...entries.map(([k, n]) => `| ${k} | ${n} | ${((100 * n) / total).toFixed(1)}% |`),
  ].join('\n');
}

export function datasetCard(
  options: ExportOptions,
  summary: Omit<ExportSummary, 'files' | 'durationMs'>,
  files: { split: string; name: string }[],
  writer: ExportFormatWriter,
  createdAt: string,
): string {
  const frontMatter = [
    '---',
    'configs:',
    '- config_name: default',
    '  data_files:',
    ...files.flatMap((f) => [`  - split: ${f.split}`, `    path: ${f.name}`]),
    'tags:',
    '- meta-cot-studio',
    `- ${options.format}`,
    '---',
  ];
  const { format, ...formatOptions } = options;
  return [
    ...frontMatter,
    '',
    `# Meta-CoT Studio export: ${format}`,
    '',
    `Written by Meta-CoT Studio ${VERSION} on ${createdAt}.`,
    '',
    '## Records',
    '',
    writer.describe(options),
    '',
    '## Counts',
    '',
    '| split | file | records | problems | runs |',
    '|---|---|---:|---:|---:|',
    ...summary.splits.map((s) => {
      const file = files.find((f) => f.split === s.split)?.name ?? '-';
      return `| ${s.split} | ${file} | ${s.records} | ${s.problems} | ${s.runs} |`;
    }),
    `| all | | ${summary.records} | ${summary.problems} | ${summary.runs} |`,
    '',
    'The split is by problem (a seeded hash of task and prompt): no problem appears on both sides.',
    '',
    '## Label balance',
    '',
    `Labels from: ${labelSourceName(options.labels)}.`,
    '',
    table(summary.labels),
    '',
    '## Left out',
    '',
    table(summary.skipped),
    '',
    '## Options',
    '',
    '```json',
    JSON.stringify(formatOptions, null, 2),
    '```',
    '',
  ].join('\n');
}
