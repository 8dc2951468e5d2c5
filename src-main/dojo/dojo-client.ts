import axios, { type AxiosInstance } from 'axios';
import type { z } from 'zod';
import type { Logger } from '../logging/logger';
import { redactText } from '../logging/redact';
import { DojoError, malformedResponse, toDojoError, isDojoError } from './dojo-errors';
import {
  captureSchema,
  pagedPaymentIntentsSchema,
  paymentIntentSchema,
  refundResponseSchema,
  reversalSchema,
  terminalListSchema,
  terminalSchema,
  terminalSessionSchema,
  type CreatePaymentIntentRequest,
  type CreateRefundRequest,
  type DojoPagedPaymentIntents,
  type DojoPaymentIntent,
  type DojoRefundResponse,
  type DojoTerminal,
  type DojoTerminalSession,
  type MoneyWire,
  type SearchPaymentIntentsRequest,
  type SessionDetailsRequest,
} from './dojo-schemas';

/**
 * The API version this till speaks: the `version` header on every call (docs/PAYMENTS.md, "Talking
 * to Dojo").
 */
export const DOJO_API_VERSION = '2026-02-27';

export type DojoClientOptions = {
  baseUrl: string;
  apiKey: string;
  softwareHouseId: string;
  resellerId: string;
  timeoutMs?: number;
  logger: Logger;
};

export type DojoClient = {
  createPaymentIntent(body: CreatePaymentIntentRequest): Promise<DojoPaymentIntent>;
  getPaymentIntent(id: string, options?: { returnCanceled?: boolean }): Promise<DojoPaymentIntent>;
  cancelPaymentIntent(id: string): Promise<DojoPaymentIntent>;
  capturePaymentIntent(
    id: string,
    body: { amount: number; tipsAmount?: number },
  ): Promise<{ captureId: string | null }>;
  reversePaymentIntent(id: string): Promise<{ reversalId: string | null }>;
  refundPaymentIntent(
    id: string,
    idempotencyKey: string,
    body: CreateRefundRequest,
  ): Promise<DojoRefundResponse>;
  sendEmailReceipt(id: string, emails: string[]): Promise<void>;
  searchPaymentIntents(body: SearchPaymentIntentsRequest): Promise<DojoPagedPaymentIntents>;
  listTerminals(statuses?: string[]): Promise<DojoTerminal[]>;
  getTerminal(id: string): Promise<DojoTerminal>;
  createSaleSession(terminalId: string, paymentIntentId: string): Promise<DojoTerminalSession>;
  createMatchedRefundSession(
    terminalId: string,
    paymentIntentId: string,
    amount?: MoneyWire,
  ): Promise<DojoTerminalSession>;
  createUnlinkedRefundSession(
    terminalId: string,
    amount: MoneyWire,
    cardholderNotPresent?: boolean,
  ): Promise<DojoTerminalSession>;
  getSession(id: string): Promise<DojoTerminalSession>;
  cancelSession(id: string): Promise<DojoTerminalSession>;
  respondToSignature(id: string, accepted: boolean): Promise<DojoTerminalSession>;
};

type Call = {
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  terminal?: boolean;
  data?: unknown;
  params?: Record<string, unknown> | undefined;
  headers?: Record<string, string>;
};

const enc = encodeURIComponent;

/** The largest Dojo answer the client reads (bytes). */
export const MAX_DOJO_RESPONSE_BYTES = 5 * 1024 * 1024;

export function createDojoClient(options: DojoClientOptions): DojoClient {
  const log = options.logger.child('dojo');
  const http: AxiosInstance = axios.create({
    baseURL: options.baseUrl.replace(/\/+$/, ''),
    timeout: options.timeoutMs ?? 15_000,
    headers: {
      Authorization: `Basic ${options.apiKey}`,
      version: DOJO_API_VERSION,
      'Content-Type': 'application/json',
      Accept: 'application/json',
    },
    // `statuses` repeats the parameter: ?statuses=Available&statuses=InUse
    paramsSerializer: { indexes: null },
    maxRedirects: 0,
    // Dojo's largest answers (a page of intents with their receipts) are well under a megabyte:
    // a bigger one is refused instead of being read into memory whole.
    maxContentLength: MAX_DOJO_RESPONSE_BYTES,
  });

  const secrets = [options.apiKey, `Basic ${options.apiKey}`];
  /**
   * Every error leaves the client redacted: its message and Dojo's words end up on screen, in
   * `last_error`, in the journal and in attempt states, so an echoed key (configured or any
   * `sk_…`) or a card number in Dojo's text must not survive past this point.
   */
  const scrub = (error: DojoError): DojoError => {
    const clean = (text: string | null) => (text === null ? null : redactText(text, secrets));
    return new DojoError(
      error.code,
      redactText(error.message, secrets),
      {
        ...error.info,
        dojoMessage: clean(error.info.dojoMessage),
        dojoCode: clean(error.info.dojoCode),
        traceId: clean(error.info.traceId),
      },
      error.retryable,
    );
  };

  async function raw(call: Call): Promise<{ status: number; data: unknown }> {
    const started = Date.now();
    const headers: Record<string, string> = { ...call.headers };
    if (call.terminal) {
      headers['software-house-id'] = options.softwareHouseId;
      headers['reseller-id'] = options.resellerId;
    }
    try {
      const response = await http.request<unknown>({
        method: call.method,
        url: call.path,
        data: call.data,
        params: call.params,
        headers,
      });
      log.debug('dojo call', {
        op: call.operation,
        method: call.method,
        path: call.path,
        status: response.status,
        ms: Date.now() - started,
      });
      return { status: response.status, data: response.data };
    } catch (error) {
      const mapped = scrub(toDojoError(error, call.operation));
      const { httpStatus, traceId, dojoCode, dojoMessage } = mapped.info;
      log.warn('dojo call failed', {
        op: call.operation,
        method: call.method,
        path: call.path,
        status: httpStatus,
        traceId,
        dojoCode,
        dojoMessage,
        code: mapped.code,
        ms: Date.now() - started,
      });
      throw mapped;
    }
  }

  async function request<S extends z.ZodType>(call: Call, schema: S): Promise<z.output<S>> {
    const { data } = await raw(call);
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      const issue = redactText(
        parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`)
          .join('; '),
        secrets,
      );
      log.error('dojo response malformed', { op: call.operation, path: call.path, issue });
      throw scrub(malformedResponse(call.operation, issue));
    }
    return parsed.data;
  }

  const createSession = (terminalId: string, details: SessionDetailsRequest) =>
    request(
      {
        operation: 'createSession',
        method: 'POST',
        path: '/terminal-sessions',
        terminal: true,
        data: { terminalId, details },
      },
      terminalSessionSchema,
    );

  return {
    createPaymentIntent: (body) =>
      request(
        { operation: 'createPaymentIntent', method: 'POST', path: '/payment-intents', data: body },
        paymentIntentSchema,
      ),
    getPaymentIntent: (id, opts) =>
      request(
        {
          operation: 'getPaymentIntent',
          method: 'GET',
          path: `/payment-intents/${enc(id)}`,
          params: opts?.returnCanceled ? { returnCanceled: true } : undefined,
        },
        paymentIntentSchema,
      ),
    cancelPaymentIntent: (id) =>
      request(
        { operation: 'cancelPaymentIntent', method: 'DELETE', path: `/payment-intents/${enc(id)}` },
        paymentIntentSchema,
      ),
    capturePaymentIntent: async (id, body) => {
      const r = await request(
        {
          operation: 'capturePaymentIntent',
          method: 'POST',
          path: `/payment-intents/${enc(id)}/captures`,
          data: body,
        },
        captureSchema,
      );
      return { captureId: r.captureId ?? null };
    },
    reversePaymentIntent: async (id) => {
      const r = await request(
        {
          operation: 'reversePaymentIntent',
          method: 'POST',
          path: `/payment-intents/${enc(id)}/reversal`,
        },
        reversalSchema,
      );
      return { reversalId: r.reversalId ?? r.id ?? null };
    },
    refundPaymentIntent: (id, idempotencyKey, body) =>
      request(
        {
          operation: 'refundPaymentIntent',
          method: 'POST',
          path: `/payment-intents/${enc(id)}/refunds`,
          headers: { idempotencyKey },
          data: body,
        },
        refundResponseSchema,
      ),
    sendEmailReceipt: async (id, emails) => {
      await raw({
        operation: 'sendEmailReceipt',
        method: 'POST',
        path: `/payment-intents/${enc(id)}/receipt`,
        data: { emails },
      });
    },
    searchPaymentIntents: (body) =>
      request(
        {
          operation: 'searchPaymentIntents',
          method: 'POST',
          path: '/payment-intents/search',
          data: body,
        },
        pagedPaymentIntentsSchema,
      ),
    listTerminals: (statuses) =>
      request(
        {
          operation: 'listTerminals',
          method: 'GET',
          path: '/terminals',
          terminal: true,
          params: statuses && statuses.length ? { statuses } : undefined,
        },
        terminalListSchema,
      ),
    getTerminal: (id) =>
      request(
        { operation: 'getTerminal', method: 'GET', path: `/terminals/${enc(id)}`, terminal: true },
        terminalSchema,
      ),
    createSaleSession: (terminalId, paymentIntentId) =>
      createSession(terminalId, { sessionType: 'Sale', sale: { paymentIntentId } }),
    createMatchedRefundSession: (terminalId, paymentIntentId, amount) =>
      createSession(terminalId, {
        sessionType: 'MatchedRefund',
        matchedRefund: amount ? { paymentIntentId, amount } : { paymentIntentId },
      }),
    createUnlinkedRefundSession: (terminalId, amount, cardholderNotPresent) =>
      createSession(terminalId, {
        sessionType: 'UnlinkedRefund',
        unlinkedRefund:
          cardholderNotPresent === undefined ? { amount } : { amount, cardholderNotPresent },
      }),
    getSession: (id) =>
      request(
        {
          operation: 'getSession',
          method: 'GET',
          path: `/terminal-sessions/${enc(id)}`,
          terminal: true,
        },
        terminalSessionSchema,
      ),
    cancelSession: (id) =>
      request(
        {
          operation: 'cancelSession',
          method: 'PUT',
          path: `/terminal-sessions/${enc(id)}/cancel`,
          terminal: true,
        },
        terminalSessionSchema,
      ),
    respondToSignature: (id, accepted) =>
      request(
        {
          operation: 'respondToSignature',
          method: 'PUT',
          path: `/terminal-sessions/${enc(id)}/signature`,
          terminal: true,
          data: { accepted },
        },
        terminalSessionSchema,
      ),
  };
}

export { isDojoError };
