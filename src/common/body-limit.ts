/** The largest JSON or form body accepted: a GPT never needs more, and a larger one gets 413. */
export const BODY_LIMIT = '100kb';
