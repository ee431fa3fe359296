// The shell's syntax tree (a practical subset of POSIX sh: what a learner types).

export type WordPart =
  | { t: "lit"; v: string; quoted: boolean }
  | { t: "var"; name: string; quoted: boolean }
  | { t: "cmd"; src: string; quoted: boolean };

export type Word = WordPart[];

export interface Redirect {
  fd: number;
  op: ">" | ">>" | "<" | ">&" | "<<" | "<<<" | "&>";
  target: Word;
  /** Here-document body, read from the lines after the command. */
  heredoc?: { body: string; expand: boolean };
}

export interface SimpleCommand {
  assigns: { name: string; value: Word }[];
  words: Word[];
  redirects: Redirect[];
  /** The command's source text, for ps and job messages. */
  text: string;
}

export interface Pipeline {
  cmds: SimpleCommand[];
  negate: boolean;
}

export interface AndOr {
  first: Pipeline;
  rest: { op: "&&" | "||"; pipeline: Pipeline }[];
}

export interface ListItem {
  andOr: AndOr;
  background: boolean;
  text: string;
}

export type Script = ListItem[];
