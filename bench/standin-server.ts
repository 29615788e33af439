/**
 * The countdown stand-in completions server (tests/helpers/completion-server.ts) in a process of
 * its own, answering every request after a fixed delay, as a model server on another machine
 * would: `node --import tsx bench/standin-server.ts <delay ms>` prints its URL and serves until
 * its stdin closes.
 */
import { startCountdownServer } from '../tests/helpers/completion-server';

const server = await startCountdownServer();
server.delayMs = Number(process.argv[2] ?? 50);
process.stdout.write(`${server.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
