import { createServer } from 'node:net'

/**
 * A TCP port free on 127.0.0.1 right now, for a process memsiege is about to start; never one of
 * `avoid`: ports already promised to a process that has not bound them yet (the kernel may hand
 * a just-released port out again).
 */
export async function freePort (avoid: readonly number[] = []): Promise<number> {
  for (;;) {
    const port = await releasedPort()
    if (!avoid.includes(port)) return port
  }
}

function releasedPort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/**
 * Why `port` can't be listened on (on every address, as a server given only a port listens) right
 * now: the error's code (EADDRINUSE, EACCES), or undefined when it can.
 */
export function listenProblem (port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
    server.listen(port, () => server.close(() => resolve(undefined)))
  })
}
