import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../src');

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const full = path.join(directory, entry);
    return statSync(full).isDirectory() ? filesUnder(full) : full.endsWith('.ts') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/from '(\.[^']+)'/g)].map((match) =>
    path.resolve(path.dirname(file), match[1] ?? ''),
  );
}

/** The domain of a file: its first folder under src/ (platform counts as one). */
function domainOf(file: string): string {
  const relative = path.relative(SRC, file);
  return relative.includes(path.sep) ? (relative.split(path.sep)[0] ?? '') : '(root)';
}

const sources = filesUnder(SRC).filter((file) => !/\.test\.ts$/.test(file));

describe('layering', () => {
  it('keeps platform free of domain knowledge', () => {
    const offending = sources
      .filter((file) => domainOf(file) === 'platform')
      .flatMap((file) =>
        importsOf(file)
          .filter((target) => domainOf(target) !== 'platform')
          .map((target) => `${path.relative(SRC, file)} → ${path.relative(SRC, target)}`),
      );
    expect(offending).toEqual([]);
  });

  it('never lets routes import a repo', () => {
    const offending = sources
      .filter((file) => file.endsWith('.routes.ts'))
      .flatMap((file) =>
        importsOf(file)
          .filter((target) => target.endsWith('.repo.ts'))
          .map((target) => `${path.relative(SRC, file)} → ${path.relative(SRC, target)}`),
      );
    expect(offending).toEqual([]);
  });

  it('lets a domain reach another only through its service or schema', () => {
    const offending = sources.flatMap((file) =>
      importsOf(file)
        .filter((target) => {
          const from = domainOf(file);
          const to = domainOf(target);
          if (from === to || to === 'platform' || from === '(root)' || to === '(root)')
            return false;
          return !/\.(service|schema)\.ts$/.test(target);
        })
        .map((target) => `${path.relative(SRC, file)} → ${path.relative(SRC, target)}`),
    );
    expect(offending).toEqual([]);
  });
});
