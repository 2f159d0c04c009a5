// The settings of the bench's own scripts, from the environment.

/** A whole number of at least 1 from `name`, else `def`; a bad value stops the script, naming the variable. */
export function positiveIntEnv (name, def) {
  const n = Number(process.env[name] ?? def)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1, not "${process.env[name]}"`)
  return n
}

/** A comma-separated list from `name`, else `def`. */
export function namesEnv (name, def) {
  return (process.env[name] ?? def).split(',').map((s) => s.trim()).filter(Boolean)
}
