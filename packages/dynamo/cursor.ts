import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ValidationError } from '../core/index.ts';

/**
 * Page cursors handed to callers: where a Query stopped, sealed with AES-256-GCM under the
 * stage's key, so a cursor is opaque (no key names show) and tamper-evident (an edited one is a
 * 400, never a Query steered by the caller). Without a key (functions that never hand a cursor
 * out) each process makes one of its own.
 */
export class CursorCodec {
  private readonly key: Buffer;

  constructor(secret: string = randomBytes(32).toString('hex')) {
    this.key = createHash('sha256').update(`sms-platform cursor\u0000${secret}`).digest();
  }

  encode(position: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(JSON.stringify(position), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
  }

  /** The position, or a ValidationError (400) for a cursor this stage did not issue for `what`. */
  decode<T>(cursor: string, valid: (position: unknown) => position is T, what: string): T {
    const position = this.open(cursor);
    if (position === undefined || !valid(position)) throw new ValidationError('Invalid cursor', [{ field: 'cursor', message: `is not a cursor of ${what}` }]);
    return position;
  }

  private open(cursor: string): unknown {
    const bytes = Buffer.from(cursor, 'base64url');
    if (bytes.length < 12 + 16 + 1) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      const plain = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
      return JSON.parse(plain.toString('utf8'));
    } catch {
      return undefined;
    }
  }
}
