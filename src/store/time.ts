// Time values bound as query parameters. Every statement runs with session_timezone = 'UTC'
// (src/store/client.ts), so a `{p:DateTime64(3)}` parameter written as UTC wall-clock text
// means the same instant whatever the host's time zone.

/** `ms` since the epoch as the UTC text of a DateTime64(3) parameter: `2026-03-29 01:30:00.000`. */
export const chTime = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/** The settings every statement runs with, on the embedded engine and on a server alike. */
export const SESSION_SETTINGS = { session_timezone: 'UTC' } as const;
