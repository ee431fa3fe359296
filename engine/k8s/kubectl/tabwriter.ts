// Go's text/tabwriter as kubectl describe configures it (minwidth 0, padding 2, pad with
// spaces): a "\t" ends a cell, and a column is aligned only across the run of consecutive
// lines that have a cell in it — a line without tabs ("Pod Template:") ends every run.
// kubectl get's printers use the same writer with minwidth 6 and padding 3 (custom-columns).
const PADDING = 2;

export function tabwrite(text: string, opts: { minwidth?: number; padding?: number } = {}): string {
  const padding = opts.padding ?? PADDING;
  const lines = text.split("\n").map((l) => l.split("\t"));
  const out: string[] = [];
  const widths: number[] = [];
  const write = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]!;
      out.push(cells.map((c, j) => (j < widths.length && j < cells.length - 1 ? c.padEnd(widths[j]!) : c)).join(""));
    }
  };
  // The block [line0, line1) shares widths[0..column); find its runs for this column.
  const format = (line0: number, line1: number) => {
    const column = widths.length;
    let start = line0;
    for (let i = line0; i < line1; i++) {
      if (column >= lines[i]!.length - 1) continue;
      write(start, i);
      let width = opts.minwidth ?? 0;
      let end = i;
      for (; end < line1 && column < lines[end]!.length - 1; end++) width = Math.max(width, lines[end]![column]!.length + padding);
      widths.push(width);
      format(i, end);
      widths.pop();
      start = end;
      i = end - 1;
    }
    write(start, line1);
  };
  format(0, lines.length);
  return out.join("\n");
}
