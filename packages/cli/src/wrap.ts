/** Word wrapping for terminal output that must fit a width (`iobench list` in 80 columns). */

/** The terminal's width for `stream`, or 80 when it is not a terminal (a pipe, a file, a test). */
export function outputWidth(stream: NodeJS.WriteStream): number {
  return stream.isTTY && stream.columns ? stream.columns : 80;
}

/** `text` in lines of at most `width` characters, broken at spaces; a longer word is cut. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(/\s+/).filter(Boolean)) {
    while (word.length > width) {
      if (line) lines.push(line);
      lines.push(word.slice(0, width));
      word = word.slice(width);
      line = '';
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * `first` then `text`, wrapped to `width` with continuation lines indented to `hang` columns:
 * `  epoll — single non-blocking loop ...` whose second line starts under the description.
 */
export function hangingWrap(first: string, text: string, width: number, hang: number): string[] {
  const words = text.split(/\s+/).filter(Boolean).join(' ');
  const head = wrapText(words, Math.max(20, width - first.length))[0] ?? '';
  const rest = words.slice(head.length).trim();
  const more = rest ? wrapText(rest, Math.max(20, width - hang)).map((line) => ' '.repeat(hang) + line) : [];
  return [first + head, ...more];
}
