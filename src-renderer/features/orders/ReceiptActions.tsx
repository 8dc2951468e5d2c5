/** Receipt preview and reprint for an order (wired to the printing contract when it lands). */
export function ReceiptActions(_props: { orderId: string }) {
  return null;
}
