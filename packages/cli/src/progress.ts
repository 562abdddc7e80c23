/** A one-line progress display on a terminal (stderr), redrawn in place. Never used off a TTY. */
import type { RunOptions } from '@iobench/core/run';

type ProgressEvent = Parameters<NonNullable<RunOptions['onProgress']>>[0];

export class ProgressLine {
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update({ point, index, total, progress }: ProgressEvent): void {
    const seconds = progress.elapsedMs / 1000;
    const rps = seconds > 0 ? Math.round(progress.requests / seconds) : 0;
    const left = Math.max(0, (point.params.durationMs - progress.elapsedMs) / 1000);
    const pointsLeft = total - index - 1;
    const planLeft = left + pointsLeft * ((point.params.durationMs + point.params.warmupMs) / 1000 + 0.5);
    const text = `[${index + 1}/${total}] ${point.id}  ${rps.toLocaleString('en-US')} req/s  ${progress.errors} errors  ~${Math.ceil(planLeft)}s left`;
    this.stream.write(`\r\x1b[2K${text.slice(0, (this.stream.columns || 100) - 1)}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
