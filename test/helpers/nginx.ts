/** For the tests that run Debian's nginx as this user: its own prefix, nothing under /var. */
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'

export const NGINX = '/usr/sbin/nginx'

/**
 * The `*_temp_path` lines an nginx.conf needs under `prefix` (created here), for the modules this
 * nginx was built with: their defaults point to folders only root can write.
 */
function nginxTempPaths (prefix: string): string[] {
  const build = spawnSync(NGINX, ['-V'], { encoding: 'utf8' })
  return ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .filter((m) => m === 'client_body' || !`${build.stdout}${build.stderr}`.includes(`--without-http_${m}_module`))
    .map((m) => {
      mkdirSync(join(prefix, 'tmp', m), { recursive: true })
      return `  ${m}_temp_path ${prefix}/tmp/${m};`
    })
}

/**
 * An nginx.conf for one foreground worker under `prefix` (pid, error log and temp folders there),
 * with these lines inside its `http` block.
 */
export function nginxConf (prefix: string, http: readonly string[]): string {
  return [
    'daemon off;',
    'master_process off;',
    'worker_processes 1;',
    `pid ${prefix}/nginx.pid;`,
    `error_log ${prefix}/error.log warn;`,
    'events { worker_connections 64; }',
    'http {',
    ...nginxTempPaths(prefix),
    ...http.map((line) => `  ${line}`),
    '}',
    '',
  ].join('\n')
}
