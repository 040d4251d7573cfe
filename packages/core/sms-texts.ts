import type { Language } from './keywords.ts';
import type { Product, Tier } from './product.ts';

/** Every reply text, in Chinese and English. Dates are the client's local dates. */

const TIER_NAMES: Record<Language, Record<Tier, string>> = {
  zh: { normal: '普通', silver: '银卡', gold: '金卡', platinum: '白金卡' },
  en: { normal: 'normal', silver: 'silver', gold: 'gold', platinum: 'platinum' },
};

function yuan(fen: number): string {
  return (fen / 100).toFixed(fen % 100 === 0 ? 0 : 2);
}

export function priceText(product: Product, language: Language): string {
  const p = product.pricing;
  if (!p) return language === 'zh' ? '免费' : 'free';
  const parts: string[] = [];
  if (p.priceFen !== undefined) parts.push(language === 'zh' ? `${yuan(p.priceFen)}元/${p.periodDays}天` : `CNY ${yuan(p.priceFen)} per ${p.periodDays} days`);
  if (p.pointsPrice !== undefined) parts.push(language === 'zh' ? `${p.pointsPrice}积分/${p.periodDays}天` : `${p.pointsPrice} points per ${p.periodDays} days`);
  return parts.join(language === 'zh' ? '或' : ' or ');
}

const minutes = (m: number) => Math.max(1, Math.round(m));

export const smsTexts = {
  help: (l: Language) =>
    l === 'zh'
      ? '短信指令：DY+产品代码 订阅；TD+产品代码 退订；TD 退订全部短信；CX 查询订阅；JF 查询积分；DH+产品代码 积分兑换；FK+产品代码+内容 产品反馈；JY+内容 建议；TS+内容 投诉；BZ 帮助。'
      : 'Commands: SUBSCRIBE <CODE>, UNSUBSCRIBE <CODE>, STOP (all messages), LIST, POINTS, REDEEM <CODE>, FEEDBACK <CODE> <text>, SUGGEST <text>, COMPLAIN <text>, HELP.',
  notUnderstood: (l: Language) => (l === 'zh' ? `未能识别您的指令。${smsTexts.help(l)}` : `Sorry, we did not understand that. ${smsTexts.help(l)}`),
  noSuchProduct: (code: string, l: Language) =>
    l === 'zh' ? `没有代码为${code}的产品。回复BZ查看帮助。` : `There is no product ${code}. Reply HELP for help.`,
  subscribed: (p: Product, until: string | undefined, l: Language) =>
    l === 'zh'
      ? `您已成功订阅「${p.name}」${until ? `，有效期至${until}` : ''}。回复TD ${p.code}退订。`
      : `You are subscribed to ${p.name}${until ? ` until ${until}` : ''}. Reply UNSUBSCRIBE ${p.code} to stop it.`,
  alreadySubscribed: (p: Product, until: string | undefined, l: Language) =>
    l === 'zh'
      ? `您已订阅「${p.name}」${until ? `，有效期至${until}` : ''}。`
      : `You are already subscribed to ${p.name}${until ? ` until ${until}` : ''}.`,
  paidOffer: (p: Product, l: Language) =>
    l === 'zh'
      ? `「${p.name}」为收费产品，资费${priceText(p, l)}。${p.pricing?.pointsPrice !== undefined ? `回复DH ${p.code}用积分兑换。` : '请联系客户经理办理。'}`
      : `${p.name} is a paid service: ${priceText(p, l)}. ${p.pricing?.pointsPrice !== undefined ? `Reply REDEEM ${p.code} to pay with points.` : 'Please contact your account manager.'}`,
  notListed: (p: Product, l: Language) => (l === 'zh' ? `「${p.name}」暂停办理。` : `${p.name} is not available at present.`),
  notForTier: (p: Product, tier: Tier, l: Language) =>
    l === 'zh'
      ? `「${p.name}」仅面向${p.eligibleTiers.map((t) => TIER_NAMES.zh[t]).join('、')}客户，您目前为${TIER_NAMES.zh[tier]}客户。`
      : `${p.name} is for ${p.eligibleTiers.map((t) => TIER_NAMES.en[t]).join('/')} clients; you are a ${TIER_NAMES.en[tier]} client.`,
  unsuitable: (p: Product, tolerance: string, l: Language) =>
    l === 'zh'
      ? `「${p.name}」风险等级为${p.riskLevel}，超出您的风险承受能力（${tolerance}），根据适当性管理要求无法办理。`
      : `${p.name} is risk level ${p.riskLevel}, above your risk tolerance (${tolerance}); suitability rules do not allow it.`,
  notRedeemable: (p: Product, l: Language) => (l === 'zh' ? `「${p.name}」不支持积分兑换。` : `${p.name} cannot be paid with points.`),
  insufficientPoints: (p: Product, required: number, balance: number, l: Language) =>
    l === 'zh'
      ? `积分不足：兑换「${p.name}」需${required}积分，您现有${balance}积分，还差${required - balance}积分。`
      : `Not enough points: ${p.name} needs ${required} points; you have ${balance}, ${required - balance} short.`,
  unsubscribed: (p: Product, l: Language) => (l === 'zh' ? `您已退订「${p.name}」。` : `You have unsubscribed from ${p.name}.`),
  notSubscribed: (p: Product, l: Language) => (l === 'zh' ? `您未订阅「${p.name}」。` : `You are not subscribed to ${p.name}.`),
  optedOut: (l: Language) =>
    l === 'zh' ? '您已退订本公司全部短信，今后不会再收到短信。回复START可恢复。' : 'You have opted out of all our messages and will receive no more. Reply START to opt back in.',
  optedIn: (list: string, l: Language) => (l === 'zh' ? `您已恢复接收短信。${list}` : `You will receive our messages again. ${list}`),
  list: (items: Array<{ name: string; until?: string }>, l: Language) =>
    items.length === 0
      ? l === 'zh' ? '您目前没有订阅任何产品。' : 'You have no active subscriptions.'
      : l === 'zh'
        ? `您订阅的产品：${items.map((i) => `「${i.name}」${i.until ? `至${i.until}` : ''}`).join('；')}。`
        : `Your subscriptions: ${items.map((i) => `${i.name}${i.until ? ` until ${i.until}` : ''}`).join('; ')}.`,
  balance: (balance: number, l: Language) => (l === 'zh' ? `您的积分余额为${balance}。` : `Your points balance is ${balance}.`),
  /** The disclosure China's SMS rules require before a paid service: content, tariff, billing, how to stop. */
  redeemDisclosure: (p: Product, pointsPrice: number, periodDays: number, windowMinutes: number, l: Language) =>
    l === 'zh'
      ? `您申请用积分兑换「${p.name}」。内容：${p.description ?? p.name}；资费：${pointsPrice}积分/${periodDays}天；计费方式：确认后一次性扣除积分，到期不自动续订；退订方式：回复TD ${p.code}。回复Y确认，${minutes(windowMinutes)}分钟内有效。`
      : `You asked to redeem ${p.name}. Content: ${p.description ?? p.name}; price: ${pointsPrice} points for ${periodDays} days; billing: points are deducted once when you confirm, no automatic renewal; to stop: reply UNSUBSCRIBE ${p.code}. Reply Y within ${minutes(windowMinutes)} minutes to confirm.`,
  redeemed: (p: Product, until: string, pointsPrice: number, balance: number, l: Language) =>
    l === 'zh'
      ? `兑换成功：「${p.name}」有效期至${until}，扣除${pointsPrice}积分，余额${balance}积分。回复TD ${p.code}退订。`
      : `Done: ${p.name} until ${until}; ${pointsPrice} points deducted, balance ${balance}. Reply UNSUBSCRIBE ${p.code} to stop it.`,
  nothingToConfirm: (windowMinutes: number, l: Language) =>
    l === 'zh' ? `没有待确认的操作，或已超过${minutes(windowMinutes)}分钟有效期。` : `There is nothing to confirm, or the ${minutes(windowMinutes)}-minute window has passed.`,
  /** FK without a known product or without words, JY or TS without words: how to write it. */
  caseFormat: (kind: 'feedback' | 'suggestion' | 'complaint', l: Language) =>
    ({
      feedback: l === 'zh' ? '产品反馈请回复：FK+产品代码+反馈内容，例如：FK IPO 提醒很及时。' : 'To give feedback, reply FEEDBACK <CODE> <your words>, e.g. FEEDBACK IPO very timely.',
      suggestion: l === 'zh' ? '提建议请回复：JY+建议内容，例如：JY 希望增加港股资讯。' : 'To make a suggestion, reply SUGGEST <your words>.',
      complaint: l === 'zh' ? '投诉请回复：TS+投诉内容，例如：TS 提醒短信重复。' : 'To complain, reply COMPLAIN <your words>.',
    })[kind],
  feedbackReceived: (p: Product, l: Language) => (l === 'zh' ? `感谢您对「${p.name}」的反馈，我们会认真改进。` : `Thank you for your feedback on ${p.name}.`),
  suggestionReceived: (l: Language) => (l === 'zh' ? '感谢您的建议！建议被采纳后将奖励积分。' : 'Thank you for your suggestion! Adopted suggestions earn points.'),
  /** The complaint's case id and when it will be answered (投诉处理时限). */
  complaintReceived: (caseId: string, hours: number, l: Language) =>
    l === 'zh' ? `您的投诉已受理，编号${caseId}，我们将在${hours}小时内答复您。` : `Your complaint is registered as ${caseId}; we will answer within ${hours} hours.`,
  complaintResolved: (caseId: string, resolution: string, l: Language) =>
    l === 'zh' ? `关于您的投诉（编号${caseId}）：${resolution}` : `About your complaint ${caseId}: ${resolution}`,
  scoreThanks: (l: Language) => (l === 'zh' ? '感谢您的评分！' : 'Thank you for your rating!'),
  scoreAlreadyRecorded: (l: Language) => (l === 'zh' ? '感谢您！您已评过分，以第一次评分为准。' : 'Thank you! You have already rated; your first rating counts.'),
  /** How a survey question asks to be answered. */
  surveyQuestion: (question: string) => `${question}（请回复1-5评分，5分为最满意）`,
  notAvailableBySms: (p: Product, l: Language) =>
    l === 'zh' ? `「${p.name}」不能通过短信办理，请联系客户经理。` : `${p.name} cannot be ordered by SMS; please contact your account manager.`,
};

export const DEFAULT_REGISTER_TEXT = '您好，本号码尚未在我司登记为客户号码。请联系客户经理或拨打客服热线登记后再使用短信服务。';
