import { inflateSync } from 'node:zlib';

// A small PDF text extractor for tests: enough for the PDFs pdfkit/pdfmake write (Flate streams,
// embedded TrueType subsets with ToUnicode maps, hex-string TJ/Tj). It reads text the way a
// viewer's copy-paste would, so a test can check what a PDF says, Cyrillic included.

type PdfObject = { dict: string; stream: Buffer | null };

function objectsOf(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  for (const match of text.matchAll(/(\d+) 0 obj\b([\s\S]*?)endobj/g)) {
    const body = match[2] ?? '';
    const streamAt = body.search(/stream\r?\n/);
    let stream: Buffer | null = null;
    let dict = body;
    if (streamAt >= 0) {
      dict = body.slice(0, streamAt);
      const start = body.indexOf('\n', streamAt) + 1;
      const end = body.lastIndexOf('endstream');
      let raw = Buffer.from(body.slice(start, end), 'latin1');
      if (raw.at(-1) === 0x0a) raw = raw.subarray(0, raw.length - 1);
      if (raw.at(-1) === 0x0d) raw = raw.subarray(0, raw.length - 1);
      stream = /\/FlateDecode/.test(dict) ? inflateSync(raw) : raw;
    }
    objects.set(Number(match[1]), { dict, stream });
  }
  return objects;
}

function hexToCodes(hex: string, width: number): number[] {
  const codes: number[] = [];
  for (let index = 0; index + width <= hex.length; index += width) {
    codes.push(Number.parseInt(hex.slice(index, index + width), 16));
  }
  return codes;
}

function utf16(hex: string): string {
  const units = hexToCodes(hex, 4);
  return String.fromCharCode(...units);
}

function cmapOf(stream: Buffer): Map<number, string> {
  const text = stream.toString('latin1');
  const map = new Map<number, string>();
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const pair of (block[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      map.set(Number.parseInt(pair[1] ?? '0', 16), utf16(pair[2] ?? ''));
    }
  }
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    const body = block[1] ?? '';
    for (const range of body.matchAll(
      /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g,
    )) {
      const low = Number.parseInt(range[1] ?? '0', 16);
      const high = Number.parseInt(range[2] ?? '0', 16);
      const target = range[3] ?? '';
      if (target.startsWith('[')) {
        const values = [...target.matchAll(/<([0-9a-fA-F]+)>/g)].map((value) => value[1] ?? '');
        values.forEach((value, offset) => {
          map.set(low + offset, utf16(value));
        });
      } else {
        const first = utf16(target.slice(1, -1));
        for (let code = low; code <= high; code += 1) {
          map.set(
            code,
            first.slice(0, -1) +
              String.fromCharCode(first.charCodeAt(first.length - 1) + code - low),
          );
        }
      }
    }
  }
  return map;
}

/** The text of every page, in content-stream order, with whitespace collapsed to single spaces. */
export function pdfText(pdf: Buffer): string {
  const objects = objectsOf(pdf);
  const fontMaps = new Map<number, Map<number, string>>();
  for (const [id, object] of objects) {
    const toUnicode = object.dict.match(/\/ToUnicode (\d+) 0 R/);
    const stream = toUnicode ? objects.get(Number(toUnicode[1]))?.stream : null;
    if (/\/Type \/Font/.test(object.dict) && stream) fontMaps.set(id, cmapOf(stream));
  }
  const fontNames = new Map<string, number>();
  for (const object of objects.values()) {
    const fonts = object.dict.match(/\/Font\s*<<([^>]*)>>/);
    for (const entry of (fonts?.[1] ?? '').matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
      fontNames.set(entry[1] ?? '', Number(entry[2]));
    }
  }
  let text = '';
  for (const object of objects.values()) {
    if (!object.stream || /\/Subtype|\/Length1|\/Type \/XObject/.test(object.dict)) continue;
    const content = object.stream.toString('latin1');
    if (!/\bTf\b/.test(content)) continue;
    let map: Map<number, string> | undefined;
    for (const token of content.matchAll(
      /\/(\w+)\s+[\d.]+\s+Tf|(\[[^\]]*\]\s*TJ|<[0-9a-fA-F]*>\s*Tj)|\bET\b/g,
    )) {
      if (token[1]) {
        map = fontMaps.get(fontNames.get(token[1]) ?? -1);
      } else if (token[2]) {
        for (const hex of token[2].matchAll(/<([0-9a-fA-F]*)>/g)) {
          text += hexToCodes(hex[1] ?? '', 4)
            .map((code) => map?.get(code) ?? '')
            .join('');
        }
      } else {
        text += '\n';
      }
    }
  }
  return text.replace(/\s+/g, ' ');
}
