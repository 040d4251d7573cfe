import { estimateSegments, messageText, type SegmentEstimate } from '../../core/index.ts';
import type { Product } from './api/client.ts';
import type { SmsTextSettings } from './config.ts';

export interface SmsPreview extends SegmentEstimate {
  /** The SMS exactly as each recipient gets it. */
  text: string;
  /** Its length in characters, as a person counts them (the segments count encoding units). */
  characters: number;
}

/**
 * The SMS a message becomes, composed by the same functions the platform sends with
 * (packages/core: messageText, estimateSegments) and the same settings (config.json `sms`):
 * signature, body, the adviser line and risk warning of investment tips, the promotional footer.
 */
export function previewSms(
  body: string,
  product: Pick<Product, 'kind' | 'smsType'> | undefined,
  adviser: { name: string; registrationCode: string },
  settings: SmsTextSettings,
): SmsPreview {
  const text = messageText(
    {
      body,
      smsType: product?.smsType ?? 'Transactional',
      ...(product?.kind === 'investment-tips' && { adviser }),
    },
    { signature: settings.signature, footer: settings.footer, adviserLine: settings.adviserLine, riskWarning: settings.riskWarning, maxSegments: settings.maxSegments },
  );
  const estimate = estimateSegments(text);
  return { ...estimate, text, characters: [...text].length };
}
