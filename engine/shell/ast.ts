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

/** Compound commands: for, while/until, if, { list; } and ( subshell ). */
export type CompoundCommand =
  | { kind: "for"; name: string; words: Word[] | null; body: Script; redirects: Redirect[]; text: string }
  | { kind: "while"; until: boolean; cond: Script; body: Script; redirects: Redirect[]; text: string }
  | { kind: "if"; clauses: { cond: Script; body: Script }[]; otherwise: Script | null; redirects: Redirect[]; text: string }
  | { kind: "group"; subshell: boolean; body: Script; redirects: Redirect[]; text: string };

export type Command = SimpleCommand | CompoundCommand;

export function isSimple(c: Command): c is SimpleCommand {
  return !("kind" in c);
}

export interface Pipeline {
  cmds: Command[];
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
