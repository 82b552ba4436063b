/**
 * The Idempotency-Key header of creating requests (README, "API"): the client names one submission,
 * and the server answers a repeat of it with its first answer instead of creating twice.
 */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
/** 1 to 255 printable ASCII characters (space to tilde); a UUID is the usual choice. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;
