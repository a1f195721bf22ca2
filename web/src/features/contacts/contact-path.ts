export function contactPath(id: string): string {
  return `/contacts/${encodeURIComponent(id)}`;
}
