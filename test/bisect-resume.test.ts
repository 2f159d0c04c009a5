import t from 'tap'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { appScenario, BISECT_APP, readDoc, roles, runBisect, TRIAL_REQUESTS } from './helpers/bisect.js'
import { alive, freePort, waitFor } from './fixtures/sampler-helpers.js'

// Live: Ctrl-C in the middle of the third trial, then --resume; and a target restarted by a
// command (target.restart with target.port) instead of started by memsiege.

const work = mkdtempSync(join(tmpdir(), 'memsiege-bisect-resume-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))

function refused (port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port })
    s.once('connect', () => { s.destroy(); resolve(false) })
    s.once('error', () => resolve(true))
  })
}

t.test('SIGINT in the middle of the third trial, then --resume: the trials done are not run again', async (t) => {
  const out = join(work, 'resume')
  const port = await freePort()
  const file = appScenario({ dir: work, name: 'resume', port, endpoints: 4, leak: ['/api/e3'] })

  let sent = false
  const first = await runBisect([file, '--trial-requests', TRIAL_REQUESTS, '--out', out], {
    timeoutMs: 200_000,
    onSpawn: (child) => {
      void waitFor(() => {
        if (!existsSync(join(out, 'bisect.json'))) return false
        const doc = readDoc(out)
        const third = doc.trials[2]
        if (third?.status !== 'running') return false
        const csv = join(out, third.dir, 'samples.csv')
        // Well into the trial: its load has been running for a couple of samples.
        return existsSync(csv) && readFileSync(csv, 'utf8').split('\n').length > 6
      }, 190_000, 'the third trial').then(() => {
        sent = child.kill('SIGINT')
      }, () => {})
    }
  })
  t.ok(sent, 'SIGINT sent during trial 3')
  t.equal(first.status, 130, first.stderr)
  t.match(first.stderr, `memsiege: bisect interrupted; carry on with: memsiege bisect --resume ${out}\n`)
  const stopped = readDoc(out)
  t.equal(stopped.status, 'interrupted')
  t.same(stopped.trials.map((x) => x.status), ['done', 'done', 'interrupted'])
  t.equal(JSON.parse(readFileSync(join(out, stopped.trials[2]!.dir, 'summary.json'), 'utf8')).interrupted, true, 'the partial run is kept, marked interrupted')
  t.ok(await refused(port), 'the target of the interrupted trial was stopped')
  const mtimes = stopped.trials.slice(0, 2).map((x) => statSync(join(out, x.dir, 'summary.json')).mtimeMs)

  const again = await runBisect(['--resume', out, '--trial', '9s'], { timeoutMs: 20_000 })
  t.equal(again.status, 2, '--resume keeps the settings it started with')
  t.match(again.stderr, /--trial can't be given with it/)

  const resumed = await runBisect(['--resume', out], { timeoutMs: 200_000 })
  const doc = readDoc(out)
  t.comment(`resumed: ${doc.trials.length} trials in the folder, ${doc.result?.trials} in the search: ${roles(doc)}`)
  t.equal(resumed.status, 0, resumed.stderr)
  t.match(resumed.stderr, new RegExp(`^memsiege bisect: resuming ${out}: 4 groups, trials of 4,000 requests \\(extended up to 16,000 requests while undecided\\) at concurrency 4, at most 10 trials .*, 2 trials done before\\n`))
  const [one, two, three] = stopped.trials
  t.match(resumed.stderr, `\n  #1 ${one!.role}: ${one!.verdict} (done before)\n  #2 ${two!.role}: ${two!.verdict} (done before)\n  #4 ${three!.role}`)
  t.equal(doc.status, 'done')
  t.same(doc.result?.culprits.map((c) => c.groups), [['GET /api/e3']])
  t.same(doc.trials.map((x) => x.status), doc.trials.map((x) => (x.n === 3 ? 'interrupted' : 'done')))
  t.same(doc.trials[3]!.groups, three!.groups, 'the interrupted trial, run again')
  t.equal(doc.result!.trials, doc.trials.length - 1, 'the search counts the trials that decided')
  t.match(resumed.stdout, /, besides 1 interrupted and run again\n/)
  t.same(stopped.trials.slice(0, 2).map((x) => statSync(join(out, x.dir, 'summary.json')).mtimeMs), mtimes, 'trials 1 and 2 untouched')
  t.match(resumed.stdout, /^culprit: GET \/api\/e3 /)

  const done = await runBisect(['--resume', out], { timeoutMs: 20_000 })
  t.equal(done.status, 0)
  t.equal(done.stdout, resumed.stdout, 'a finished bisect only says its result again')
})

t.test('target.restart with target.port: a command restarts the target before every trial', async (t) => {
  const port = await freePort()
  const out = join(work, 'svc-out')
  const pidFile = join(work, 'app.pid')
  const pids = join(work, 'pids.txt')
  // A stand-in for a service manager: stops the app it started last, starts a new one.
  writeFileSync(join(work, 'restart.sh'), `#!/bin/sh
if [ -f '${pidFile}' ]; then
  old=$(cat '${pidFile}')
  kill "$old" 2>/dev/null
  while kill -0 "$old" 2>/dev/null; do sleep 0.05; done
fi
'${process.execPath}' '${BISECT_APP}' --port ${port} --endpoints 2 --leak /api/e1 --daemon > /dev/null 2>&1 &
echo $! > '${pidFile}'
echo $! >> '${pids}'
`)
  t.teardown(() => {
    if (!existsSync(pidFile)) return
    const pid = Number(readFileSync(pidFile, 'utf8'))
    if (alive(pid)) process.kill(pid, 'SIGKILL')
  })
  writeFileSync(join(work, 'svc.yml'), `name: svc
target: { url: "http://127.0.0.1:${port}", port: ${port}, restart: sh restart.sh }
urls: [/api/e0, /api/e1]
concurrency: 4
sample: { interval: 100ms }
bisect:
  trialRequests: ${TRIAL_REQUESTS}
`)
  const r = await runBisect([join(work, 'svc.yml'), '--out', out], { timeoutMs: 200_000 })
  const doc = readDoc(out)
  t.comment(`restart by command, 2 groups: ${doc.trials.length} trials: ${roles(doc)}`)
  t.equal(r.status, 0, r.stderr)
  t.same(doc.restart, { kind: 'restart', command: 'sh restart.sh', port })
  t.same(doc.result?.culprits.map((c) => c.groups), [['GET /api/e1']])
  const started = readFileSync(pids, 'utf8').trim().split('\n')
  t.equal(started.length, doc.trials.length, 'one restart per trial')
  t.equal(new Set(started).size, started.length, 'a new process each time')
  t.match(r.stderr, /\n {2}#1 restarting the target: sh restart.sh\n/)
  for (const trial of doc.trials) t.ok(existsSync(join(out, trial.dir, 'restart.log')), `${trial.dir}/restart.log`)
})
