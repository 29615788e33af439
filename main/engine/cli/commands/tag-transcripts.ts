/**
 * `metacot tag-transcripts`: an OpenAI-compatible model proposes each transcript step's tag,
 * relation and parent; the answer is validated, compared with the current tree, and with
 * `--apply` written as structure edits by a named annotator (undoable, in the history).
 */
import type { Command } from 'commander';
import { AnnotatorId } from '../../../../common/domain';
import { LlmTagger, tagWithLlm } from '../../longcot/llm-tagger';
import { transcriptRunIds } from '../../longcot/view';
import { Store } from '../../store/store';
import { CliError, parseIntOption } from '../util';

interface Options {
  db: string;
  llm: string;
  run?: number[];
  apply?: boolean;
  annotator: string;
}

const percent = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(0)}%` : '-');

export function registerTagTranscripts(program: Command): void {
  program
    .command('tag-transcripts')
    .description('Ask an OpenAI-compatible model for the tags, relations and parents of long-CoT steps (validated; --apply writes them as undoable edits)')
    .requiredOption('--db <file>', 'database file')
    .requiredOption('--llm <url>', 'chat endpoint: http://host:8000/v1#model (options ?max_tokens=&temperature=&timeout_ms=&retries=)')
    .option('--run <id>', 'only this run (repeatable; default: every transcript)', (v: string, prev: number[] = []) => [...prev, parseIntOption('run', 1)(v)])
    .option('--apply', 'write the proposals that differ as structure edits')
    .option('--annotator <name>', 'who the edits are by in the history', 'llm')
    .action(async (o: Options) => {
      const annotator = AnnotatorId.safeParse(o.annotator);
      if (!annotator.success) throw new CliError(`--annotator: ${annotator.error.issues[0]!.message}`);
      const tagger = new LlmTagger(o.llm);
      const store = Store.open(o.db, { create: false });
      try {
        const ids = transcriptRunIds(store.connection, { runIds: o.run });
        if (ids.length === 0) throw new CliError(`no long-CoT transcripts in ${o.db}${o.run ? ' among those runs' : ''}`);
        for (const runId of ids) {
          const r = await tagWithLlm(store, runId, tagger, { apply: o.apply ?? false, annotator: annotator.data });
          process.stdout.write(
            `run ${runId}: ${r.steps} steps; the model agrees on tags ${percent(r.agree.tag, r.steps)}, relations ${percent(r.agree.relation, r.steps)}, ` +
              `parents ${percent(r.agree.parent, r.steps)}; ${r.edits} edits ${o.apply ? 'made' : 'proposed (--apply writes them)'}, ${r.rejected.length} answers rejected\n`,
          );
          for (const x of r.rejected.slice(0, 5)) process.stdout.write(`  rejected: ${x.reason}\n`);
        }
      } finally {
        store.close();
      }
    });
}
