import type { CSSProperties } from 'react';
import type { ReceiptDocument } from '../../../src-shared/domain/receipt';
import {
  columnsFor,
  layoutDocument,
  type LaidOutLine,
} from '../../../src-shared/domain/receipt-layout';

export type ReceiptPreviewProps = {
  document: ReceiptDocument;
  /** 32 (58 mm paper) or 48 (80 mm): the same layout the printer gets. */
  columns: 32 | 48;
  /** URL of the shop logo image; a framed placeholder is drawn without it. */
  logoSrc?: string;
  className?: string;
};

const paper: CSSProperties = {
  fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
  fontSize: 13,
  lineHeight: 1.35,
  background: '#fff',
  color: '#111',
  padding: '12px 10px',
  boxShadow: '0 1px 4px rgba(0,0,0,.25)',
  display: 'inline-block',
};

const centre: CSSProperties = { display: 'flex', justifyContent: 'center', margin: '6px 0' };

function TextLine({
  line,
  columns,
}: {
  line: Extract<LaidOutLine, { type: 'text' }>;
  columns: number;
}) {
  const wide = line.size === 'large';
  const tall = line.size === 'tall' || wide;
  const width = columnsFor(columns, line.size);
  const pad = Math.max(0, width - line.text.length);
  const left = line.align === 'center' ? Math.floor(pad / 2) : line.align === 'right' ? pad : 0;
  const text = (' '.repeat(left) + line.text).padEnd(width, ' ');
  return (
    <div
      style={{
        whiteSpace: 'pre',
        fontWeight: line.bold ? 700 : 400,
        height: tall ? '2.7em' : '1.35em',
        overflow: 'hidden',
      }}
    >
      <span
        style={{
          display: 'inline-block',
          transform: `scale(${wide ? 2 : 1}, ${tall ? 2 : 1})`,
          transformOrigin: 'top left',
        }}
      >
        {text}
      </span>
    </div>
  );
}

function Line({
  line,
  columns,
  logoSrc,
}: {
  line: LaidOutLine;
  columns: number;
  logoSrc: string | undefined;
}) {
  switch (line.type) {
    case 'text':
      return <TextLine line={line} columns={columns} />;
    case 'qr':
      return (
        <div style={centre}>
          <div
            role="img"
            aria-label={`QR code for ${line.data}`}
            style={{
              width: 96,
              height: 96,
              border: '3px solid #111',
              display: 'grid',
              placeItems: 'center',
              fontSize: 11,
              textAlign: 'center',
            }}
          >
            QR
            <br />
            {line.data}
          </div>
        </div>
      );
    case 'logo':
      return (
        <div style={centre}>
          {logoSrc ? (
            <img
              src={logoSrc}
              alt="Shop logo"
              style={{ maxWidth: '60%', imageRendering: 'pixelated' }}
            />
          ) : (
            <div
              aria-label="Shop logo"
              style={{
                border: '2px solid #111',
                borderRadius: 8,
                padding: '4px 16px',
                fontWeight: 700,
              }}
            >
              LOGO
            </div>
          )}
        </div>
      );
    case 'cut':
      return (
        <div
          aria-label="Paper cut"
          style={{ borderTop: '2px dashed #999', margin: '10px 0 4px' }}
        />
      );
    case 'drawer':
      return null;
  }
}

/**
 * A receipt on screen as it comes out of the printer: the shared layout decides every line, so the
 * preview and the paper cannot drift. The drawer kick is not shown; cuts are a dashed line.
 */
export function ReceiptPreview({ document, columns, logoSrc, className }: ReceiptPreviewProps) {
  const lines = layoutDocument(document, columns);
  return (
    <figure
      aria-label={`Receipt preview: ${document.title}`}
      className={className}
      style={{ margin: 0 }}
    >
      <div style={{ ...paper, width: `${columns}ch` }} data-columns={columns}>
        {lines.map((line, i) => (
          <Line key={i} line={line} columns={columns} logoSrc={logoSrc} />
        ))}
      </div>
    </figure>
  );
}
