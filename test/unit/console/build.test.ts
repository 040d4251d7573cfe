import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildConsole, type ConsoleFiles } from '../../../packages/console/index.ts';
import { en } from '../../../packages/console/src/i18n/en.ts';
import { zh } from '../../../packages/console/src/i18n/zh.ts';

let files: ConsoleFiles;
beforeAll(async () => {
  files = await buildConsole();
}, 60_000);

const names = () => [...files.keys()];

describe('the console build', () => {
  it('is index.html, one hashed script and one hashed stylesheet', () => {
    expect(names().sort()).toEqual([expect.stringMatching(/^console-[A-Z0-9]+\.js$/), 'index.html', expect.stringMatching(/^styles-[A-Z0-9]+\.css$/)]);
    const html = new TextDecoder().decode(files.get('index.html')!.body);
    const script = names().find((n) => n.endsWith('.js'))!;
    const stylesheet = names().find((n) => n.endsWith('.css'))!;
    // Relative URLs: the same files work under /console/ locally and at the root of CloudFront.
    expect(html).toContain(`<script type="module" src="./${script}"></script>`);
    expect(html).toContain(`<link rel="stylesheet" href="./${stylesheet}" />`);
    expect(files.get('index.html')!.immutable).toBe(false);
    expect(files.get(script)!.immutable).toBe(true);
  });

  it('carries no server-side code and no inline script, and its JavaScript is at most 150 KB gzipped', () => {
    const script = files.get(names().find((n) => n.endsWith('.js'))!)!;
    const text = new TextDecoder().decode(script.body);
    expect(text).not.toMatch(/from\s*"node:|require\("node:/);
    expect(gzipSync(script.body).length).toBeLessThanOrEqual(150 * 1024);
    const html = new TextDecoder().decode(files.get('index.html')!.body);
    expect(html.match(/<script[^>]*>([\s\S]*?)<\/script>/g)?.every((tag) => /src=/.test(tag) && /><\/script>$/.test(tag))).toBe(true);
    expect(html).not.toMatch(/style=/);
  });
});

describe('the console strings', () => {
  it('exist in both languages, for the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const [key, text] of Object.entries(zh)) expect(text, key).not.toBe('');
  });

  it('give the English accessible names outside checks use (API.md, Console)', () => {
    expect([en['nav.products'], en['nav.messages'], en['nav.review'], en['nav.customers'], en['nav.cases'], en['nav.audit'], en['nav.outbox']]).toEqual([
      'Products',
      'Messages',
      'Review',
      'Customers',
      'Cases',
      'Audit',
      'Outbox',
    ]);
    expect([en['signin.role'], en['signin.submit']]).toEqual(['Role', 'Sign in']);
    expect([en['products.new'], en['product.code'], en['product.name'], en['product.kind'], en['product.riskLevel'], en['product.pointsPrice'], en['form.save']]).toEqual([
      'New product',
      'Code',
      'Name',
      'Kind',
      'Risk level',
      'Points price',
      'Save',
    ]);
    expect([en['messages.new'], en['message.product'], en['message.body'], en['message.sendAt'], en['compose.publish']]).toEqual(['New message', 'Product', 'Message', 'Send at', 'Publish']);
    expect([en['figure.characters'], en['figure.segments'], en['figure.recipients'], en['figure.sent'], en['figure.delivered'], en['figure.skipped'], en['figure.failed']]).toEqual([
      'Characters',
      'Segments',
      'Recipients',
      'Sent',
      'Delivered',
      'Skipped',
      'Failed',
    ]);
    expect([en['review.approve'], en['review.reject']]).toEqual(['Approve', 'Reject']);
    expect([en['customers.id'], en['customers.search'], en['customer.tier'], en['customer.balance'], en['points.adjust'], en['points.points'], en['points.reason'], en['points.note']]).toEqual([
      'Customer ID',
      'Search',
      'Tier',
      'Balance',
      'Adjust points',
      'Points',
      'Reason',
      'Note',
    ]);
  });
});
