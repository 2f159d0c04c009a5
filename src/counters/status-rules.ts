// siege's counting rules (siege-spec §3.3): 5xx and 408 are failures, not transactions;
// other 4xx are transactions but not successful; 401/407 count as successful because siege
// retries them with credentials.

export function isFailedStatus (status: number): boolean {
  return status === 408 || (status >= 500 && status <= 599)
}

export function isSuccessfulStatus (status: number): boolean {
  return status < 400 || status === 401 || status === 407
}
