/** `metacot runs`: the runs in a database, with status and solve rate per task and algorithm. */
import type { Command } from 'commander';
import { RUN_STATUSES, type RunStatus, type RunSummary } from '../../../../common/domain';
import { Store } from '../../store/store';
import { CliError, parseIntOption } from '../util';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd()).join('\n');
}

const percent = (n: number, of: number) => (of === 0 ? '-' : `${((100 * n) / of).toFixed(1)}%`);

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description('List the search runs in a database, with status and solve rate')
    .requiredOption('--db <file>', 'database file')
    .option('--limit <n>', 'most recent runs to list (0: summary only)', parseIntOption('limit', 0, 1_000_000), 30)
    .option('--status <status>', `only runs with this status (${RUN_STATUSES.join(', ')})`)
    .action((o: { db: string; limit: number; status?: string }) => {
      if (o.status !== undefined && !(RUN_STATUSES as readonly string[]).includes(o.status)) {
        throw new CliError(`unknown status "${o.status}" (statuses: ${RUN_STATUSES.join(', ')})`);
      }
      const store = Store.open(o.db, { create: false });
      try {
        const status = o.status as RunStatus | undefined;
        const { total, runs } = store.runs.list({ status, limit: Math.max(o.limit, 1), offset: 0, sort: 'created', direction: 'desc' });
        if (total === 0) {
          process.stdout.write(`no runs${status ? ` with status ${status}` : ''} in ${o.db}\n`);
          return;
        }
        if (o.limit > 0) {
          const rows = [['id', 'task', 'algorithm', 'status', 'nodes', 'expansions', 'solved', 'seconds', 'problem']];
          for (const r of runs as RunSummary[]) {
            const wall = typeof r.stats.wallMs === 'number' ? (r.stats.wallMs / 1000).toFixed(2) : '-';
            const expansions = typeof r.stats.expansions === 'number' ? String(r.stats.expansions) : '-';
            rows.push([String(r.id), r.task, r.algorithm, r.status, String(r.nodeCount), expansions, r.solved ? 'yes' : 'no', wall, r.prompt.replace(/\s+/g, ' ').slice(0, 50)]);
          }
          process.stdout.write(`${table(rows)}\n`);
          if (total > runs.length) process.stdout.write(`(${runs.length} most recent of ${total}; --limit N for more)\n`);
          process.stdout.write('\n');
        }
        // Solve rate over finished runs (done), per task and algorithm.
        const groups = store.runs.outcomesByTaskAndAlgorithm(status);
        const rows = [['task', 'algorithm', 'runs', 'done', 'queued', 'running', 'stopped', 'failed', 'solved', 'solve rate', 'nodes']];
        for (const g of groups) {
          const counts = [g.runs, g.done, g.queued, g.running, g.stopped, g.failed, g.solved].map(String);
          rows.push([String(g.task), String(g.algorithm), ...counts, percent(Number(g.solved), Number(g.done)), String(g.nodes)]);
        }
        process.stdout.write(`${table(rows)}\n`);
      } finally {
        store.close();
      }
    });
}
