// Owned by the orders feature. Channels are named '<domain>:<verb>'.
export const ordersChannels = {} as const;
export const ordersEvents = {} as const;
