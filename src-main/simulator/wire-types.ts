/**
 * The simulator's view of Dojo's wire objects (OpenAPI 2026-02-27). Only the fields the simulator
 * emits are listed; names and enums are Dojo's, spelling mistakes included.
 */

export type WireMoney = { value: number; currencyCode: string };

export type PaymentIntentStatus =
  'Created' | 'Authorized' | 'Captured' | 'Reversed' | 'Refunded' | 'Canceled';

export type TerminalStatus = 'Available' | 'InUse' | 'Offline';

export type TerminalSessionStatus =
  | 'InitiateRequested'
  | 'Initiated'
  | 'Authorized'
  | 'Captured'
  | 'CancelRequested'
  | 'Canceled'
  | 'SignatureVerificationAccepted'
  | 'SignatureVerificationRejected'
  | 'SignatureVerificationRequired'
  | 'Expired'
  | 'Declined';

export type TerminalSessionType = 'Sale' | 'MatchedRefund' | 'UnlinkedRefund';

export type WireCard = {
  cardNumber: string;
  cardName: string | null;
  expiryDate: string;
  cardType: string;
  cardFundingType: string;
  last4PAN: string;
  entryMode: string;
  verificationMethod: string;
};

export type WirePaymentDetails = {
  transactionId: string;
  transactionDateTime: string;
  message: string;
  authCode: string;
  card: WireCard;
};

export type WireNotificationEvent = { notificationType: string; createdAt: string };
export type WireStatusEvent = {
  status: TerminalSessionStatus;
  createdAt: string;
  debugMessage: string;
};

export type WireSessionDetails = {
  sessionType: TerminalSessionType;
  sale?: { paymentIntentId: string };
  matchedRefund?: { paymentIntentId: string; amount?: WireMoney };
  unlinkedRefund?: { amount: WireMoney; cardholderNotPresent?: boolean };
};

export type ReceiptAlign = 'AlignLeft' | 'AlignCenter' | 'AlignRight';
export type ReceiptSize = 'SizeHeader1' | 'SizeHeader2' | 'SizeBody';
export type WireReceiptLine =
  | {
      lineType: 'Text';
      text: { value: string; size: ReceiptSize; align: ReceiptAlign; emphasisBold: boolean };
    }
  | { lineType: 'LogoImage'; imageLogo: { value: string; align: ReceiptAlign } }
  | { lineType: 'NewLine' | 'SingleLineSeperator' | 'DoubleLineSeperator' };
export type WireReceipt = { lines: WireReceiptLine[] };

export type WireTerminalSession = {
  id: string;
  terminalId: string;
  status: TerminalSessionStatus;
  createdAt: string;
  updatedAt: string;
  expireAt: string;
  details: WireSessionDetails;
  notificationEvents: WireNotificationEvent[];
  statusEvents: WireStatusEvent[];
  paymentDetails?: WirePaymentDetails | null;
  receipt?: WireReceipt;
  customerReceipt?: WireReceipt;
  merchantReceipt?: WireReceipt;
};

export type WireTerminal = {
  id: string;
  properties: { tid: string };
  status: TerminalStatus;
  updatedAt: string;
};

export type WireSessionHistory = {
  terminalSession: {
    id: string;
    terminalId: string;
    status: TerminalSessionStatus;
    expireAt: string;
    createdAt: string;
    updatedAt: string;
    notificationEvents: WireNotificationEvent[];
    statusEvents: WireStatusEvent[];
    details: WireSessionDetails;
  };
  payment: {
    transactionDateTime: string | null;
    cardNumber: string | null;
    expiryDate: string | null;
    cardType: string | null;
    authGatewayTransactionId: string | null;
    cardHolderName: string | null;
    entryMode: string;
    verificationMode: string;
  } | null;
};

export type WireCaptureDetails = {
  id: string;
  amount: number;
  tipsAmount: number | null;
  status: 'Created' | 'Successful' | 'Declined' | 'Failed';
  createdAt: string;
};

export type WirePaymentIntent = {
  id: string;
  captureMode: 'Auto' | 'Manual';
  cardHolderNotPresent: boolean;
  status: PaymentIntentStatus;
  paymentMethods: string[];
  amount: WireMoney;
  tipsAmount: WireMoney | null;
  totalAmount: WireMoney;
  refundedAmount: number;
  createdAt: string;
  updatedAt: string;
  reference: string;
  description: string | null;
  itemLines: unknown[];
  taxLines: unknown[];
  metadata: Record<string, string> | null;
  expireAt: string;
  paymentDetails: WirePaymentDetails | null;
  terminalSessionHistory: WireSessionHistory[];
  captures: WireCaptureDetails[];
};

export type WireRefund = {
  paymentIntentId: string;
  refundId: string;
  refundReason: string | null;
  notes: string | null;
};
