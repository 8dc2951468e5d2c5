import type {
  DojoLine,
  ReceiptAlign,
  ReceiptBlock,
  ReceiptDocument,
  ReceiptTextSize,
} from './receipt';

/**
 * Fits a receipt document to a paper width. Both the ESC/POS renderer and the on-screen preview
 * print exactly these lines, which is what makes the preview match the paper.
 */
export type LaidOutLine =
  | { type: 'text'; text: string; align: ReceiptAlign; bold: boolean; size: ReceiptTextSize }
  | { type: 'qr'; data: string; caption: string | null }
  | { type: 'logo' }
  | { type: 'cut' }
  | { type: 'drawer' };

type TextLine = Extract<LaidOutLine, { type: 'text' }>;

/** Characters per line for a size: double-width text takes two columns per character. */
export const columnsFor = (columns: number, size: ReceiptTextSize): number =>
  size === 'large' ? Math.floor(columns / 2) : columns;

/** Breaks text at spaces; words longer than the line are cut, never lost; indentation is kept. */
export function wrapWords(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = /^ */.exec(paragraph)?.[0].slice(0, Math.max(0, width - 1)) ?? '';
    let empty = true;
    for (const word of paragraph
      .trim()
      .split(/ +/)
      .filter((w) => w !== '')) {
      let rest = word;
      while (rest) {
        const room = width - line.length - (empty ? 0 : 1);
        if (rest.length <= room) {
          line += (empty ? '' : ' ') + rest;
          empty = false;
          rest = '';
        } else if (!empty) {
          out.push(line);
          line = '';
          empty = true;
        } else {
          const take = Math.max(1, room);
          out.push(line + rest.slice(0, take));
          rest = rest.slice(take);
          line = '';
        }
      }
    }
    out.push(line);
  }
  return out;
}

/** Verbatim text (Dojo lines): spacing kept, cut into chunks only when wider than the paper. */
export function wrapVerbatim(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    if (paragraph.length <= width) {
      out.push(paragraph);
      continue;
    }
    for (let i = 0; i < paragraph.length; i += width) out.push(paragraph.slice(i, i + width));
  }
  return out;
}

function effectiveSize(size: ReceiptTextSize, longest: number, columns: number): ReceiptTextSize {
  return size === 'large' && longest > columnsFor(columns, 'large') ? 'tall' : size;
}

const longestParagraph = (text: string): number =>
  Math.max(0, ...text.split('\n').map((p) => p.length));

function textLines(
  text: string,
  align: ReceiptAlign,
  bold: boolean,
  size: ReceiptTextSize,
  columns: number,
  verbatim: boolean,
): TextLine[] {
  const eff = effectiveSize(size, longestParagraph(text), columns);
  const width = columnsFor(columns, eff);
  const parts = verbatim ? wrapVerbatim(text, width) : wrapWords(text, width);
  return parts.map((t) => ({ type: 'text', text: t, align, bold, size: eff }));
}

function columnLines(
  left: string,
  right: string,
  bold: boolean,
  size: ReceiptTextSize,
  columns: number,
): TextLine[] {
  const eff = effectiveSize(size, left.length + 1 + right.length, columns);
  const width = columnsFor(columns, eff);
  const line = (text: string): TextLine => ({ type: 'text', text, align: 'left', bold, size: eff });
  if (left.length + 1 + right.length <= width)
    return [line(left + ' '.repeat(width - left.length - right.length) + right)];
  const lefts = wrapWords(left, width);
  const last = lefts.pop() ?? '';
  const out = lefts.map(line);
  if (last.length + 1 + right.length <= width)
    out.push(line(last + ' '.repeat(width - last.length - right.length) + right));
  else {
    if (last) out.push(line(last));
    out.push(
      line(
        right.length >= width ? right.slice(0, width) : ' '.repeat(width - right.length) + right,
      ),
    );
  }
  return out;
}

function dojoLines(lines: readonly DojoLine[], columns: number): LaidOutLine[] {
  const out: LaidOutLine[] = [];
  for (const l of lines) {
    switch (l.kind) {
      case 'text':
        out.push(...textLines(l.text, l.align, l.bold, l.size, columns, true));
        break;
      case 'newline':
        out.push({ type: 'text', text: '', align: 'left', bold: false, size: 'normal' });
        break;
      case 'separator':
        out.push({
          type: 'text',
          text: (l.style === 'double' ? '=' : '-').repeat(columns),
          align: 'left',
          bold: false,
          size: 'normal',
        });
        break;
      case 'logo':
        out.push({
          type: 'text',
          text: '[card scheme logo]',
          align: l.align,
          bold: false,
          size: 'normal',
        });
        break;
      case 'unknown':
        out.push(
          ...textLines(
            l.text === null ? `[${l.lineType}]` : `[${l.lineType}] ${l.text}`,
            'left',
            false,
            'normal',
            columns,
            true,
          ),
        );
        break;
    }
  }
  return out;
}

export function layoutBlock(b: ReceiptBlock, columns: number): LaidOutLine[] {
  switch (b.type) {
    case 'text':
      return textLines(b.text, b.align, b.bold, b.size, columns, false);
    case 'columns':
      return columnLines(b.left, b.right, b.bold, b.size, columns);
    case 'separator':
      return [
        {
          type: 'text',
          text: (b.style === 'double' ? '=' : '-').repeat(columns),
          align: 'left',
          bold: false,
          size: 'normal',
        },
      ];
    case 'dojo':
      return dojoLines(b.lines, columns);
    case 'qr':
      return [{ type: 'qr', data: b.data, caption: b.caption }];
    case 'feed':
      return Array.from(
        { length: b.lines },
        () => ({ type: 'text', text: '', align: 'left', bold: false, size: 'normal' }) as const,
      );
    case 'logo':
    case 'cut':
    case 'drawer':
      return [{ type: b.type }];
  }
}

/** The whole document as printed lines for a paper of `columns` characters (32 or 48). */
export function layoutDocument(doc: ReceiptDocument, columns: number): LaidOutLine[] {
  return doc.blocks.flatMap((b) => layoutBlock(b, columns));
}

/** Plain text of a laid-out receipt, aligned as on paper (for logs, tests and the journal). */
export function laidOutText(lines: readonly LaidOutLine[], columns: number): string {
  return lines
    .map((l) => {
      if (l.type === 'qr') return `[QR ${l.data}]`;
      if (l.type !== 'text') return `[${l.type}]`;
      const width = columnsFor(columns, l.size);
      const pad = width - l.text.length;
      if (pad <= 0 || l.align === 'left') return l.text;
      return ' '.repeat(l.align === 'center' ? Math.floor(pad / 2) : pad) + l.text;
    })
    .join('\n');
}
