/**
 * JSON Lines output: records are buffered into ~1 MB chunks; each chunk is written while the
 * next one fills (one write in flight), so formatting and disk writes overlap.
 */
import fs from 'node:fs/promises';
import type { ExportRow, RecordSink } from './types';

const CHUNK_BYTES = 1 << 20;

export class JsonlSink implements RecordSink {
  private parts: string[] = [];
  private pending = 0;
  private bytes = 0;
  private inFlight: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly handle: fs.FileHandle,
  ) {}

  static async open(file: string): Promise<JsonlSink> {
    // 'wx': the temporary file is ours alone; an existing path (or a planted link) fails here.
    return new JsonlSink(file, await fs.open(file, 'wx'));
  }

  async write(row: ExportRow): Promise<void> {
    const line = `${JSON.stringify(row)}\n`;
    this.parts.push(line);
    this.pending += line.length;
    if (this.pending >= CHUNK_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const buffer = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.pending = 0;
    await this.inFlight;
    this.inFlight = this.handle.write(buffer);
    this.bytes += buffer.length;
  }

  async close(): Promise<number> {
    await this.flush();
    await this.inFlight;
    await this.handle.close();
    return this.bytes;
  }

  async abort(): Promise<void> {
    await this.inFlight.catch(() => undefined);
    await this.handle.close().catch(() => undefined);
    await fs.rm(this.file, { force: true });
  }
}
