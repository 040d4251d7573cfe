export { SnsSmsSender, type SnsSmsOptions } from './sns-sms-sender.ts';
