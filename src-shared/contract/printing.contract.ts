// Owned by the printing feature. Channels are named '<domain>:<verb>'.
export const printingChannels = {} as const;
export const printingEvents = {} as const;
