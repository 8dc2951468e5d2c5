import { badRequest, conflict, notFound, type SimResponse } from './http-util';
import {
  captureInput,
  createIntentInput,
  receiptInput,
  refundInput,
  searchInput,
} from './request-schemas';
import { parseBody, type Route, type RouteContext } from './routing';
import { newId, nowIso, type IntentRecord, type RefundRecord } from './sim-state';
import type { PaymentIntentStatus, WirePaymentIntent } from './wire-types';

const DAY_MS = 86_400_000;

function findIntent(ctx: RouteContext, returnCanceled = false): IntentRecord {
  const id = ctx.params.paymentIntentId ?? '';
  const rec = ctx.state.intents.get(id);
  if (!rec || (rec.wire.status === 'Canceled' && !returnCanceled))
    throw notFound(`Payment intent ${id} was not found.`);
  return rec;
}

function ok(ctx: RouteContext, rec: IntentRecord): SimResponse {
  return { status: 200, body: ctx.state.intentWire(rec) };
}

function createIntent(ctx: RouteContext): SimResponse {
  const input = parseBody(createIntentInput, ctx.body);
  const at = nowIso();
  const tips = input.tipsAmount ?? null;
  const wire: WirePaymentIntent = {
    id: newId('pi'),
    captureMode: input.captureMode ?? 'Auto',
    cardHolderNotPresent: input.cardHolderNotPresent ?? false,
    status: 'Created',
    paymentMethods: ['Card'],
    amount: input.amount,
    tipsAmount: tips,
    totalAmount: {
      value: input.amount.value + (tips?.value ?? 0),
      currencyCode: input.amount.currencyCode,
    },
    refundedAmount: 0,
    createdAt: at,
    updatedAt: at,
    reference: input.reference,
    description: input.description ?? null,
    itemLines: input.itemLines ?? [],
    taxLines: input.taxLines ?? [],
    metadata: input.metadata ?? null,
    expireAt: new Date(Date.now() + 30 * DAY_MS).toISOString(),
    paymentDetails: null,
    terminalSessionHistory: [],
    captures: [],
  };
  const rec: IntentRecord = { seq: ctx.state.nextSeq(), wire };
  ctx.state.intents.set(wire.id, rec);
  return ok(ctx, rec);
}

function getIntent(ctx: RouteContext): SimResponse {
  return ok(ctx, findIntent(ctx, ctx.query.get('returnCanceled')?.toLowerCase() === 'true'));
}

function setStatus(rec: IntentRecord, status: PaymentIntentStatus): void {
  rec.wire.status = status;
  rec.wire.updatedAt = nowIso();
}

function cancelIntent(ctx: RouteContext): SimResponse {
  const rec = findIntent(ctx);
  if (rec.wire.status !== 'Created')
    throw badRequest(`A payment intent in status ${rec.wire.status} cannot be canceled.`);
  if (ctx.state.liveSessionOfIntent(rec.wire.id))
    throw badRequest('The payment intent has a terminal session in progress.');
  setStatus(rec, 'Canceled');
  return ok(ctx, rec);
}

function capture(ctx: RouteContext): SimResponse {
  const rec = findIntent(ctx);
  const input = parseBody(captureInput, ctx.body);
  if (rec.wire.status !== 'Authorized')
    throw conflict(`A payment intent in status ${rec.wire.status} cannot be captured.`);
  const captured = rec.wire.captures.reduce((sum, c) => sum + c.amount, 0);
  if (captured + input.amount > rec.wire.totalAmount.value) {
    throw badRequest('The capture amount exceeds the authorized amount.', {
      Amount: ['The capture amount exceeds the authorized amount.'],
    });
  }
  const captureId = newId('cp');
  rec.wire.captures.push({
    id: captureId,
    amount: input.amount,
    tipsAmount: input.tipsAmount ?? null,
    status: 'Successful',
    createdAt: nowIso(),
  });
  setStatus(rec, 'Captured');
  return { status: 200, body: { captureId, message: 'Capture completed successfully.' } };
}

function reverse(ctx: RouteContext): SimResponse {
  const rec = findIntent(ctx);
  const reversible =
    rec.wire.status === 'Authorized' ||
    (rec.wire.status === 'Captured' && rec.wire.refundedAmount === 0);
  if (!reversible)
    throw conflict(
      rec.wire.status === 'Captured'
        ? 'A payment intent that has been refunded cannot be reversed.'
        : `A payment intent in status ${rec.wire.status} cannot be reversed.`,
    );
  if (ctx.state.settled.has(rec.wire.id))
    throw conflict('The payment has already been settled and can no longer be reversed.');
  setStatus(rec, 'Reversed');
  return {
    status: 200,
    body: { reversalId: newId('rv'), message: 'Reversal completed successfully.' },
  };
}

function headerValue(ctx: RouteContext, name: string): string | undefined {
  const v = ctx.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function refundBody(r: RefundRecord): SimResponse {
  return {
    status: 200,
    body: {
      paymentIntentId: r.paymentIntentId,
      refundId: r.refundId,
      refundReason: r.refundReason,
      notes: r.notes,
    },
  };
}

function refund(ctx: RouteContext): SimResponse {
  const rec = findIntent(ctx);
  const key = headerValue(ctx, 'idempotencyKey');
  if (!key)
    throw badRequest('The idempotencyKey header is required.', {
      idempotencyKey: ['The idempotencyKey header is required.'],
    });
  if (key.length > 100)
    throw badRequest('The idempotencyKey header is too long.', {
      idempotencyKey: ['The maximum length is 100.'],
    });
  const existing = ctx.state.refundsByKey.get(key);
  if (existing) {
    if (existing.paymentIntentId !== rec.wire.id)
      throw badRequest('This idempotencyKey was already used for another payment intent.');
    return refundBody(existing);
  }
  const input = parseBody(refundInput, ctx.body);
  if (rec.wire.status !== 'Captured' && rec.wire.status !== 'Refunded') {
    throw badRequest(`A payment intent in status ${rec.wire.status} cannot be refunded.`);
  }
  const remaining = rec.wire.totalAmount.value - rec.wire.refundedAmount;
  if (input.amount > remaining) {
    throw badRequest('The refund amount exceeds the amount left to refund.', {
      Amount: [`At most ${remaining} can be refunded.`],
    });
  }
  const r: RefundRecord = {
    refundId: newId('rf'),
    source: 'api',
    paymentIntentId: rec.wire.id,
    terminalSessionId: null,
    amount: input.amount,
    currencyCode: rec.wire.totalAmount.currencyCode,
    idempotencyKey: key,
    refundReason: input.refundReason ?? null,
    notes: input.notes ?? null,
    createdAt: nowIso(),
  };
  ctx.state.refunds.push(r);
  ctx.state.refundsByKey.set(key, r);
  rec.wire.refundedAmount += input.amount;
  setStatus(
    rec,
    rec.wire.refundedAmount >= rec.wire.totalAmount.value ? 'Refunded' : rec.wire.status,
  );
  return refundBody(r);
}

function emailReceipt(ctx: RouteContext): SimResponse {
  const rec = findIntent(ctx);
  parseBody(receiptInput, ctx.body);
  if (rec.wire.status === 'Created')
    throw badRequest('There is no completed payment to send a receipt for.');
  return { status: 204 };
}

const cursorToken = (seq: number): string => Buffer.from(`seq:${seq}`).toString('base64url');
function cursorSeq(token: string): number {
  const m = /^seq:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m) throw badRequest('The cursor is invalid.', { Cursor: ['The cursor is invalid.'] });
  return Number(m[1]);
}

function search(ctx: RouteContext): SimResponse {
  const input = parseBody(searchInput, ctx.body ?? {});
  const limit = input.cursor?.limit ?? 50;
  const start = input.startDate ? Date.parse(input.startDate) : -Infinity;
  const end = input.endDate ? Date.parse(input.endDate) : Infinity;
  const statuses = input.statuses && input.statuses.length > 0 ? new Set(input.statuses) : null;
  // Newest first, as Dojo lists them.
  const all = [...ctx.state.intents.values()]
    .filter((r) => (statuses ? statuses.has(r.wire.status) : true))
    .filter((r) => Date.parse(r.wire.createdAt) >= start && Date.parse(r.wire.createdAt) <= end)
    .sort((a, b) => b.seq - a.seq);
  let page: IntentRecord[];
  if (input.cursor?.after) {
    const after = cursorSeq(input.cursor.after);
    page = all.filter((r) => r.seq < after).slice(0, limit);
  } else if (input.cursor?.before) {
    const before = cursorSeq(input.cursor.before);
    const newer = all.filter((r) => r.seq > before);
    page = newer.slice(Math.max(0, newer.length - limit));
  } else {
    page = all.slice(0, limit);
  }
  const first = page[0];
  const last = page[page.length - 1];
  return {
    status: 200,
    body: {
      data: page.map((r) => ctx.state.intentWire(r)),
      before: first && all.some((r) => r.seq > first.seq) ? cursorToken(first.seq) : null,
      after: last && all.some((r) => r.seq < last.seq) ? cursorToken(last.seq) : null,
    },
  };
}

export const intentRoutes: Route[] = [
  { method: 'POST', pattern: '/payment-intents/search', flavour: 'payments', handler: search },
  { method: 'POST', pattern: '/payment-intents', flavour: 'payments', handler: createIntent },
  {
    method: 'GET',
    pattern: '/payment-intents/{paymentIntentId}',
    flavour: 'payments',
    handler: getIntent,
  },
  {
    method: 'DELETE',
    pattern: '/payment-intents/{paymentIntentId}',
    flavour: 'payments',
    handler: cancelIntent,
  },
  {
    method: 'POST',
    pattern: '/payment-intents/{paymentIntentId}/captures',
    flavour: 'payments',
    handler: capture,
  },
  {
    method: 'POST',
    pattern: '/payment-intents/{paymentIntentId}/reversal',
    flavour: 'payments',
    handler: reverse,
  },
  {
    method: 'POST',
    pattern: '/payment-intents/{paymentIntentId}/refunds',
    flavour: 'payments',
    handler: refund,
  },
  {
    method: 'POST',
    pattern: '/payment-intents/{paymentIntentId}/receipt',
    flavour: 'payments',
    handler: emailReceipt,
  },
];
