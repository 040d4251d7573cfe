/**
 * SMS segment counting: GSM-7 (160 characters in one segment, 153 per segment when split;
 * characters of the extension table count twice) or UCS-2 when any character is outside
 * GSM-7, e.g. Chinese (70 in one segment, 67 per segment when split; counted in UTF-16 units).
 */

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '^{}\\[~]|€\f';

const basic = new Set(GSM7_BASIC);
const extension = new Set(GSM7_EXTENSION);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentEstimate {
  encoding: SmsEncoding;
  /** Length in the encoding's units (GSM-7 septets, or UTF-16 code units for UCS-2). */
  units: number;
  segments: number;
}

export function estimateSegments(text: string): SegmentEstimate {
  let septets = 0;
  for (const char of text) {
    if (basic.has(char)) septets += 1;
    else if (extension.has(char)) septets += 2;
    else {
      const units = text.length;
      return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
    }
  }
  return { encoding: 'GSM-7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
}
