// The only two IPC channels between the window and main (names shared by main.ts and preload.ts).
export const INVOKE_CHANNEL = 'ferry:invoke';
export const EVENT_CHANNEL = 'ferry:event';
