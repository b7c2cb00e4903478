/** Python `cmd.Cmd.columnize`: a list of words in as few rows as fit `width`. */
export function columnize(list: readonly string[], width: number): string {
  if (list.length === 0) return '<empty>\n';
  if (list.length === 1) return `${list[0]}\n`;
  const size = list.length;
  let nrows = 1;
  let ncols = 1;
  let colwidths: number[] = [0];
  let found = false;
  for (nrows = 1; nrows < size; nrows++) {
    ncols = Math.ceil(size / nrows);
    colwidths = [];
    let total = -2;
    for (let col = 0; col < ncols; col++) {
      let w = 0;
      for (let row = 0; row < nrows; row++) {
        const i = row + nrows * col;
        if (i >= size) break;
        w = Math.max(w, list[i].length);
      }
      colwidths.push(w);
      total += w + 2;
      if (total > width) break;
    }
    if (total <= width) {
      found = true;
      break;
    }
  }
  if (!found) {
    nrows = size;
    ncols = 1;
    colwidths = [0];
  }
  let out = '';
  for (let row = 0; row < nrows; row++) {
    const texts: string[] = [];
    for (let col = 0; col < ncols; col++) {
      const i = row + nrows * col;
      texts.push(i >= size ? '' : list[i]);
    }
    while (texts.length > 0 && texts[texts.length - 1] === '') texts.pop();
    out += `${texts.map((t, c) => t.padEnd(colwidths[c])).join('  ')}\n`;
  }
  return out;
}
