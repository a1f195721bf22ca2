// An XLSX export read as rows of text, so it goes through the same header detection and row
// checks as a CSV file.

import ExcelJS from 'exceljs';
import { SpendFileError } from './spend-file.ts';

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  if ('text' in value) return String(value.text);
  return '';
}

/** The first worksheet's rows as text cells; a date cell becomes 2026-03-01. */
export async function readXlsxRecords(content: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch (error) {
    throw new SpendFileError(
      `the file is not a readable XLSX workbook: ${(error as Error).message}`,
    );
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new SpendFileError('the workbook has no worksheet');
  const records: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let column = 1; column <= row.cellCount; column += 1) {
      cells.push(cellText(row.getCell(column).value));
    }
    records[rowNumber - 1] = cells;
  });
  for (let index = 0; index < records.length; index += 1) records[index] ??= [];
  return records;
}
