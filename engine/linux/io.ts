// File descriptors, reduced to what the shell needs: writers (terminal, pipe, file) and
// readers (terminal, pipe, text). A pipe reader sees EOF once every writer has closed.

export interface Writer {
  write(text: string): void;
  /** Called when the process that holds this end exits. */
  close?(): void;
  /** Duplicated fds (2>&1, fork) share one end; each holder opens it once. */
  open?(): void;
  readonly kind: "tty" | "pipe" | "file" | "null";
}

export interface Reader {
  /** True once all input is available (EOF reached on a pipe, or a fixed text). */
  ready(): boolean;
  /** All input; call only when ready(). */
  readAll(): string;
  readonly kind: "tty" | "pipe" | "text" | "null";
}

/** The terminal the interactive session prints to. */
export class Tty implements Writer, Reader {
  readonly kind = "tty" as const;
  out = "";
  err = "";
  constructor(private readonly isErr = false, private readonly sink?: Tty) {}
  write(text: string): void {
    const target = this.sink ?? this;
    if (this.isErr) target.err += text;
    else target.out += text;
  }
  /** An interactive terminal never reaches EOF by itself; commands that read it get nothing. */
  ready(): boolean {
    return true;
  }
  readAll(): string {
    return "";
  }
  /** stderr view of the same terminal. */
  stderr(): Tty {
    return new Tty(true, this);
  }
  take(): { out: string; err: string } {
    const r = { out: this.out, err: this.err };
    this.out = "";
    this.err = "";
    return r;
  }
}

export class Pipe {
  buf = "";
  writers = 0;
  readonly writer: Writer;
  readonly reader: Reader;
  constructor() {
    const pipe = this;
    this.writer = {
      kind: "pipe",
      write: (t) => {
        pipe.buf += t;
      },
      open: () => {
        pipe.writers++;
      },
      close: () => {
        pipe.writers--;
      },
    };
    this.reader = {
      kind: "pipe",
      ready: () => pipe.writers <= 0,
      readAll: () => pipe.buf,
    };
  }
}

export class TextReader implements Reader {
  readonly kind = "text" as const;
  constructor(private readonly text: string) {}
  ready(): boolean {
    return true;
  }
  readAll(): string {
    return this.text;
  }
}

export const NULL_WRITER: Writer = { kind: "null", write() {} };
export const NULL_READER: Reader = { kind: "null", ready: () => true, readAll: () => "" };

/** Collects output in memory (command substitution $(…)). */
export class Capture implements Writer {
  readonly kind = "pipe" as const;
  text = "";
  write(t: string): void {
    this.text += t;
  }
}
