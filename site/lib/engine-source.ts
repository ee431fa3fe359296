// Pull one declaration out of a TypeScript source file, with its leading comments, so lessons can
// show the engine's real code (site/components/EngineSource.astro). Pure: text in, text out.
import ts from "typescript";

export interface Extracted {
  /** The declaration's text, leading JSDoc/line comments included, de-indented. */
  code: string;
  /** 1-based line of the first line shown (the first comment line, if any). */
  startLine: number;
  /** 1-based line of the last line shown. */
  endLine: number;
}

function declName(node: ts.Node): string[] {
  if (ts.isVariableStatement(node)) {
    return node.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  }
  if (
    ts.isFunctionDeclaration(node) ||
    ts.isClassDeclaration(node) ||
    ts.isInterfaceDeclaration(node) ||
    ts.isTypeAliasDeclaration(node) ||
    ts.isEnumDeclaration(node) ||
    ts.isModuleDeclaration(node)
  ) {
    return node.name && ts.isIdentifier(node.name) ? [node.name.text] : [];
  }
  return [];
}

function memberName(member: ts.ClassElement | ts.TypeElement): string | undefined {
  const name = member.name;
  if (!name) return ts.isConstructorDeclaration(member) ? "constructor" : undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

/**
 * Where the comments that belong to `node` start: the run of leading comments directly above it
 * (a blank line ends the run, so a file header above the first declaration is left out).
 */
function startWithComments(text: string, node: ts.Node): number {
  const start = node.getStart();
  const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
  let from = start;
  for (let i = ranges.length - 1; i >= 0; i--) {
    const r = ranges[i]!;
    const gap = text.slice(r.end, from);
    if ((gap.match(/\n/g) ?? []).length > 1) break;
    from = r.pos;
  }
  return from;
}

/**
 * Find the top-level declaration `symbol` (function, class, interface, type alias, enum, const/let
 * statement, namespace) or `Class.member` (method, property, accessor, constructor) and return
 * its text with its leading comments and its line range; null when there is no such symbol.
 * Overloads and get/set pairs are returned together.
 */
export function extractSymbol(sourceText: string, symbol: string): Extracted | null {
  const sf = ts.createSourceFile("source.ts", sourceText, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const [outer, inner, ...rest] = symbol.split(".");
  if (!outer || rest.length > 0) return null;

  let matches: ts.Node[];
  if (inner === undefined) {
    matches = sf.statements.filter((s) => declName(s).includes(outer));
  } else {
    const container = sf.statements.find(
      (s) => (ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s)) && s.name?.text === outer,
    ) as ts.ClassDeclaration | ts.InterfaceDeclaration | undefined;
    if (!container) return null;
    const members: readonly (ts.ClassElement | ts.TypeElement)[] = container.members;
    matches = members.filter((m) => memberName(m) === inner);
  }
  if (matches.length === 0) return null;

  const first = matches[0]!;
  const last = matches[matches.length - 1]!;
  const from = startWithComments(sourceText, first);
  const to = last.getEnd();
  // Start from the beginning of the line so that the first line's indentation is measured too.
  const lineStart = sourceText.lastIndexOf("\n", from - 1) + 1;
  const leading = sourceText.slice(lineStart, from);
  const raw = /^[ \t]*$/.test(leading) ? sourceText.slice(lineStart, to) : sourceText.slice(from, to);
  const code = dedentAll(raw);
  return {
    code,
    startLine: sf.getLineAndCharacterOfPosition(from).line + 1,
    endLine: sf.getLineAndCharacterOfPosition(to).line + 1,
  };
}

/** Remove the indentation common to every non-blank line. */
function dedentAll(code: string): string {
  const lines = code.replace(/\s+$/, "").split("\n");
  const indents = lines.filter((l) => l.trim() !== "").map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)![0].length))).join("\n");
}

