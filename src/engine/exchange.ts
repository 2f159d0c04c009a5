/**
 * What a transport calls back while one request is under way: the shape of undici's legacy
 * dispatch handler (so a virtual user is the handler of both transports without a wrapper per
 * request), plus `onBodyBytes`, through which the fast path counts body bytes without making a
 * Buffer view of each piece.
 */
export interface ExchangeHandler {
  /** `abort` ends the request; the handler then hears `onError`. */
  onConnect (abort: (err?: Error) => void): void
  /** `rawHeaders`: name/value pairs; the fast path passes only Location and Set-Cookie. Valid during the call. */
  onHeaders (statusCode: number, rawHeaders: Buffer[]): boolean
  onBodyBytes (bytes: number): void
  onComplete (): void
  onError (err: Error): void
}
