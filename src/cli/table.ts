/** A plain text table for people: a header, a rule, aligned columns (numbers to the right). */
export function table(headers: string[], rows: unknown[][]): string {
  const cells = rows.map((row) => row.map((value) => (value === null || value === undefined ? '-' : String(value))));
  const widths = headers.map((header, i) => Math.max(header.length, ...cells.map((row) => row[i].length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === 'number'));
  const line = (values: string[]) =>
    values
      .map((value, i) => (numeric[i] ? value.padStart(widths[i]) : value.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.map(line)].join('\n') + '\n';
}
