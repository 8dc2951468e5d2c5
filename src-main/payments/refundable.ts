/**
 * The one rule for what may still go back to a customer (docs/PAYMENTS.md rule 10): the public
 * face of the payments feature for the other features that give money back (cash refunds, returns,
 * reversals). Every refund and return path asks it before writing and again inside the
 * transaction that writes.
 */
export {
  assertOrderRefundable,
  describeGivenBack,
  givenBackOnOrder,
  orderRefundable,
  refundableRemainder,
  type GivenBack,
  type OrderRefundable,
} from './refunds.repo';
