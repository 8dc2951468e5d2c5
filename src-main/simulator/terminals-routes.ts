import type { z } from 'zod';
import { scenarioForAmount } from '../../src-shared/domain/simulator-scenarios';
import { badRequest, notFound, type SimResponse } from './http-util';
import { createSessionInput, signatureInput } from './request-schemas';
import { parseBody, type Route, type RouteContext } from './routing';
import type { SessionRecord } from './sim-state';
import type { TerminalStatus, WireMoney, WireSessionDetails } from './wire-types';

const TERMINAL_STATUSES: readonly TerminalStatus[] = ['Available', 'InUse', 'Offline'];

function listTerminals(ctx: RouteContext): SimResponse {
  const wanted = ctx.query
    .getAll('statuses')
    .flatMap((s) => s.split(','))
    .filter((s) => s !== '');
  const bad = wanted.filter((s) => !TERMINAL_STATUSES.includes(s as TerminalStatus));
  if (bad.length > 0)
    throw badRequest(`Unknown terminal status: ${bad.join(', ')}.`, {
      statuses: [`Unknown value ${bad[0]}.`],
    });
  const list = [...ctx.state.terminals.values()]
    .map((t) => t.wire)
    .filter((t) => wanted.length === 0 || wanted.includes(t.status));
  return { status: 200, body: structuredClone(list) };
}

function getTerminal(ctx: RouteContext): SimResponse {
  const id = ctx.params.terminalId ?? '';
  const t = ctx.state.terminal(id);
  if (!t) throw notFound(`Terminal ${id} was not found.`);
  return { status: 200, body: structuredClone(t.wire) };
}

function findSession(ctx: RouteContext): SessionRecord {
  const id = ctx.params.terminalSessionId ?? '';
  const s = ctx.state.sessions.get(id);
  if (!s) throw notFound(`Terminal session ${id} was not found.`);
  return s;
}

const sessionOk = (ctx: RouteContext, s: SessionRecord): SimResponse => ({
  status: 200,
  body: ctx.state.sessionWire(s),
});

/** What the session pays or refunds, after checking the intent it refers to. */
function resolveSession(
  ctx: RouteContext,
  input: z.infer<typeof createSessionInput>,
): { details: WireSessionDetails; intentId: string | null; amount: WireMoney } {
  const { details } = input;
  const intentOf = (id: string) => {
    const rec = ctx.state.intents.get(id);
    if (!rec || rec.wire.status === 'Canceled')
      throw notFound(`Payment intent ${id} was not found.`);
    return rec;
  };
  switch (details.sessionType) {
    case 'Sale': {
      if (!details.sale)
        throw badRequest('Sale details are required.', {
          'Details.Sale': ['The Sale field is required.'],
        });
      const rec = intentOf(details.sale.paymentIntentId);
      if (rec.wire.status !== 'Created') {
        throw badRequest(
          `The payment intent is ${rec.wire.status} and cannot be paid again.`,
          {},
          'INVALID_REQUEST',
        );
      }
      if (ctx.state.liveSessionOfIntent(rec.wire.id)) {
        throw badRequest(
          'The payment intent already has a terminal session in progress.',
          {},
          'INVALID_REQUEST',
        );
      }
      return {
        details: { sessionType: 'Sale', sale: { paymentIntentId: rec.wire.id } },
        intentId: rec.wire.id,
        amount: rec.wire.totalAmount,
      };
    }
    case 'MatchedRefund': {
      const m = details.matchedRefund;
      if (!m)
        throw badRequest('Matched refund details are required.', {
          'Details.MatchedRefund': ['The MatchedRefund field is required.'],
        });
      const rec = intentOf(m.paymentIntentId);
      if (rec.wire.status !== 'Captured' && rec.wire.status !== 'Refunded') {
        throw badRequest(`A payment intent in status ${rec.wire.status} cannot be refunded.`);
      }
      const remaining = rec.wire.totalAmount.value - rec.wire.refundedAmount;
      const amount = m.amount ?? {
        value: remaining,
        currencyCode: rec.wire.totalAmount.currencyCode,
      };
      if (amount.currencyCode !== rec.wire.totalAmount.currencyCode) {
        throw badRequest('The refund currency differs from the payment currency.', {
          'Details.MatchedRefund.Amount.CurrencyCode': ['Currency mismatch.'],
        });
      }
      if (amount.value <= 0 || amount.value > remaining) {
        throw badRequest('The refund amount exceeds the amount left to refund.', {
          'Details.MatchedRefund.Amount.Value': [`At most ${remaining} can be refunded.`],
        });
      }
      const wireDetails: WireSessionDetails = {
        sessionType: 'MatchedRefund',
        matchedRefund: { paymentIntentId: rec.wire.id },
      };
      if (m.amount && wireDetails.matchedRefund) wireDetails.matchedRefund.amount = m.amount;
      return { details: wireDetails, intentId: rec.wire.id, amount };
    }
    case 'UnlinkedRefund': {
      const u = details.unlinkedRefund;
      if (!u)
        throw badRequest('Unlinked refund details are required.', {
          'Details.UnlinkedRefund': ['The UnlinkedRefund field is required.'],
        });
      const unlinked: WireSessionDetails['unlinkedRefund'] = { amount: u.amount };
      if (u.cardholderNotPresent !== undefined)
        unlinked.cardholderNotPresent = u.cardholderNotPresent;
      return {
        details: { sessionType: 'UnlinkedRefund', unlinkedRefund: unlinked },
        intentId: null,
        amount: u.amount,
      };
    }
  }
}

function createSession(ctx: RouteContext): SimResponse {
  const input = parseBody(createSessionInput, ctx.body);
  const terminal = ctx.state.terminal(input.terminalId);
  if (!terminal) throw notFound(`Terminal ${input.terminalId} was not found.`);
  const resolved = resolveSession(ctx, input);
  if (terminal.wire.status !== 'Available') {
    throw badRequest(
      `Terminal ${input.terminalId} is ${terminal.wire.status}.`,
      {},
      'TERMINAL_UNAVAILABLE',
    );
  }
  const forced = ctx.state.takeForcedScenario(input.terminalId);
  const scenario = forced ?? scenarioForAmount(resolved.amount.value);
  const s = ctx.engine.start({ terminalId: input.terminalId, ...resolved, scenario });
  return sessionOk(ctx, s);
}

function cancelSession(ctx: RouteContext): SimResponse {
  const s = findSession(ctx);
  ctx.engine.cancel(s);
  return sessionOk(ctx, s);
}

function signature(ctx: RouteContext): SimResponse {
  const s = findSession(ctx);
  const input = parseBody(signatureInput, ctx.body);
  ctx.engine.answerSignature(s, input.accepted);
  return sessionOk(ctx, s);
}

export const terminalRoutes: Route[] = [
  { method: 'GET', pattern: '/terminals', flavour: 'terminals', handler: listTerminals },
  { method: 'GET', pattern: '/terminals/{terminalId}', flavour: 'terminals', handler: getTerminal },
  { method: 'POST', pattern: '/terminal-sessions', flavour: 'terminals', handler: createSession },
  {
    method: 'GET',
    pattern: '/terminal-sessions/{terminalSessionId}',
    flavour: 'terminals',
    handler: (ctx) => sessionOk(ctx, findSession(ctx)),
  },
  {
    method: 'PUT',
    pattern: '/terminal-sessions/{terminalSessionId}/cancel',
    flavour: 'terminals',
    handler: cancelSession,
  },
  {
    method: 'PUT',
    pattern: '/terminal-sessions/{terminalSessionId}/signature',
    flavour: 'terminals',
    handler: signature,
  },
];
