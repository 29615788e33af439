/** A problem file or record that cannot be read; the message names the line and what was wrong. */
export class ProblemFormatError extends Error {
  constructor(
    message: string,
    /** 1-based line number in the file, when the error is about one line. */
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'ProblemFormatError';
  }
}
