/** Numbers for bisect's lines and page. */

/** +20.1 KiB, +1.2 k objects. */
export function signed (value: number, unit: string): string {
  const sign = value < 0 ? '-' : '+'
  const a = Math.abs(value)
  if (unit === 'bytes') {
    const units = ['B', 'KiB', 'MiB', 'GiB']
    let i = 0
    while (i < units.length - 1 && a >= 1024 ** (i + 1)) i++
    return `${sign}${num(a / 1024 ** i)} ${units[i]}`
  }
  const units = ['', 'k', 'M', 'G']
  let i = 0
  while (i < units.length - 1 && a >= 1000 ** (i + 1)) i++
  return `${sign}${num(a / 1000 ** i)}${units[i] ? ` ${units[i]}` : ''}${unit === 'count' ? '' : ` ${unit}`}`
}

function num (v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)
}
