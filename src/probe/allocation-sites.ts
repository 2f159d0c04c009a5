/**
 * `--find-source` inside a Node target: from `?source=start` (sent at the end of the warm-up) the
 * sampling heap profiler of an in-process inspector session records where objects are allocated;
 * `?source=sites` runs a full GC first and answers the sites whose samples are still alive, by
 * stack. The profiler keeps only what is still alive, so two answers differ by what a site kept
 * in between: memsiege diffs them (src/source/). No heap snapshot: the sampled profile names the
 * allocating stack, which a snapshot does not, at a cost of a few percent.
 */
import { Session } from 'node:inspector'
import { dirname, isAbsolute, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Bytes between samples: V8's default is 32 KiB; smaller leaks need more samples to stand out. */
const SAMPLING_INTERVAL = 16 * 1024
/** Frames kept per stack, allocating frame first. */
const MAX_FRAMES = 8
/** memsiege's own code in the target (dist/probe/): its allocations are never a site. */
const PROBE_DIR = dirname(fileURLToPath(import.meta.url))

export interface LiveSite {
  /** Allocating frame first: `function file:line`. */
  stack: string[]
  bytes: number
  /** Samples behind `bytes`. */
  samples: number
}

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; selfSize: number; children: ProfileNode[] }
interface SamplingProfile { head: ProfileNode; samples: Array<{ nodeId: number }> }

let session: Session | undefined

function post<T> (method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    session!.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result as T)))
  })
}

/** Idempotent: a second start (a restarted run's, a watch's) keeps what the first recorded. */
export async function startRecording (): Promise<void> {
  if (session) return
  session = new Session()
  session.connect()
  await post('HeapProfiler.enable')
  await post('HeapProfiler.startSampling', { samplingInterval: SAMPLING_INTERVAL })
}

/** The live sampled allocations since startRecording(), after a full GC, by stack. */
export async function liveSites (): Promise<LiveSite[]> {
  if (!session) throw new Error('not recording: ask ?source=start first')
  await post('HeapProfiler.collectGarbage')
  const { profile } = await post<{ profile: SamplingProfile }>('HeapProfiler.getSamplingProfile')
  const samplesOf = new Map<number, number>()
  for (const s of profile.samples) samplesOf.set(s.nodeId, (samplesOf.get(s.nodeId) ?? 0) + 1)
  const sites: LiveSite[] = []
  const walk = (node: ProfileNode, callers: CallFrame[]): void => {
    const frames = [node.callFrame, ...callers]
    if (node.selfSize > 0 && !frames.some((f) => f.url !== '' && fileOf(f.url).startsWith(PROBE_DIR))) {
      const named = frames.filter((f) => f.url !== '')
      sites.push({ stack: (named.length > 0 ? named : frames).slice(0, MAX_FRAMES).map(frameName), bytes: node.selfSize, samples: samplesOf.get(node.id) ?? 0 })
    }
    for (const child of node.children) walk(child, frames)
  }
  walk(profile.head, [])
  return sites
}

function frameName (f: CallFrame): string {
  const where = f.url === '' ? '(native)' : `${shownPath(fileOf(f.url))}:${f.lineNumber + 1}`
  return `${f.functionName || '(anonymous)'} ${where}`
}

/** A dependency from its `node_modules/<package>/`, the app's own files from its folder. */
function shownPath (file: string): string {
  const dependency = file.lastIndexOf('/node_modules/')
  if (dependency >= 0) return file.slice(dependency + 1)
  const own = relative(process.cwd(), file)
  return own.startsWith('..') || isAbsolute(own) ? file : own
}

function fileOf (url: string): string {
  return url.startsWith('file://') ? fileURLToPath(url) : url
}
