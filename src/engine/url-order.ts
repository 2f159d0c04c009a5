/** Which list entry a user sends next: siege's per-user offset walk, or a uniform pick. */
export interface UrlOrder {
  next (): number
}

export function sequentialOrder (length: number, user: number, users: number): UrlOrder {
  // siege: user i starts at i × floor(len / c) and walks the list, wrapping around.
  let index = (user * Math.floor(length / users)) % length
  return {
    next () {
      const current = index
      index = index + 1 === length ? 0 : index + 1
      return current
    }
  }
}

export function randomOrder (length: number, random: () => number = Math.random): UrlOrder {
  return { next: () => Math.floor(random() * length) }
}
