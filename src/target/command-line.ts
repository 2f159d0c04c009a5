/** Characters that mean shell syntax anywhere in a command line. */
const SHELL_SYNTAX = /[|&;<>()$`\\"'*?[\]{}\n]/
/** Special at the start of a word only: comments and home directories. */
const SHELL_WORD_START = /(^|\s)[#~]/

/**
 * The command's words when it is a plain command line (run without a shell, so the target is
 * our direct child and gets our signals); undefined when it needs /bin/sh: quotes, pipes,
 * redirections, globs, variables, `VAR=value cmd`.
 */
export function parseCommand (command: string): string[] | undefined {
  if (SHELL_SYNTAX.test(command) || SHELL_WORD_START.test(command)) return undefined
  const words = command.trim().split(/\s+/).filter(Boolean)
  if (words.length === 0 || words[0]!.includes('=')) return undefined
  return words
}
