import { Writable } from 'node:stream';

export type LogLine = Record<string, unknown> & { level: string; msg?: string; requestId?: string };

/** A pino destination that keeps every line, to read back what the app logged. */
export class LogLines extends Writable {
  readonly raw: string[] = [];

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.raw.push(...chunk.toString().split('\n').filter((line) => line !== ''));
    done();
  }

  get text(): string {
    return this.raw.join('\n');
  }

  /** Every line parsed; a line that is not JSON fails the test. */
  get lines(): LogLine[] {
    return this.raw.map((line) => JSON.parse(line) as LogLine);
  }

  withRequestId(requestId: string): LogLine[] {
    return this.lines.filter((line) => line.requestId === requestId);
  }
}
