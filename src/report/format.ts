/** Milliseconds with microsecond resolution, so that a fast endpoint never reads "0 ms". */
export function ms (value: number): string {
  if (value >= 100) return value.toFixed(1)
  return value.toFixed(3)
}

export function mib (bytes: number): string {
  return (bytes / 1048576).toFixed(2)
}

export function pad (text: string | number, width: number): string {
  return String(text).padStart(width)
}
