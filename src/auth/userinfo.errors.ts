/** The userinfo endpoint refused the token (any non-2xx answer): the caller gets 401. */
export class TokenRejectedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'TokenRejectedError';
  }
}

/** The userinfo endpoint could not be asked (down, reset, timed out): the caller gets 500. */
export class UserinfoUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'UserinfoUnavailableError';
  }
}
