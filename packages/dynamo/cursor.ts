import { ValidationError } from '../core/index.ts';

/**
 * Page cursors handed to callers: where a Query stopped, as opaque text. `decode` refuses a
 * cursor it did not issue for that listing (a 400), so a caller cannot steer a Query.
 */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<T>(cursor: string, valid: (position: unknown) => position is T, what: string): T {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    position = undefined;
  }
  if (!valid(position)) throw new ValidationError('Invalid cursor', [{ field: 'cursor', message: `is not a cursor of ${what}` }]);
  return position;
}
