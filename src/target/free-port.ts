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
