// Owned by the payments feature. Channels are named '<domain>:<verb>'.
export const paymentsChannels = {} as const;
export const paymentsEvents = {} as const;
