import { Readable } from 'node:stream'
import type { CommandIo } from '../../src/commands/urls.js'
import { runCli, type CliResult } from './cli.js'

/** A CommandIo that keeps what the command writes. */
export function memoryIo (stdin?: string | Buffer): { io: CommandIo; stdout: () => string; stderr: () => string } {
  let out = ''
  let err = ''
  return {
    io: {
      stdin: Readable.from(stdin === undefined ? [] : [Buffer.from(stdin)]),
      stdout: { write: (text: string) => { out += text } },
      stderr: { write: (text: string) => { err += text } }
    },
    stdout: () => out,
    stderr: () => err
  }
}

/** `memsiege urls ARGS`, with `stdin` piped in; killed after 20 s. */
export function runUrlsCli (args: string[], options: { stdin?: string | Buffer; cwd?: string } = {}): Promise<CliResult> {
  return runCli(['urls', ...args], { ...options, stdin: options.stdin ?? '', timeoutMs: 20_000 })
}

/** The rows of a `--counts` table: [count, method, url]. */
export function countsRows (table: string): Array<[number, string, string]> {
  return table.trim().split('\n').slice(1, -1).map((line) => {
    const m = /^\s*(\d+)\s+[\d.]+%\s+(\S+)\s+(.*)$/.exec(line)
    if (m === null) throw new Error(`not a counts row: ${line}`)
    return [Number(m[1]), m[2], m[3]]
  })
}
