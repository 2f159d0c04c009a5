/** How far a run that decides went, and why at each step: said by the summary text and report.html. */
import type { ExtensionRecord, ExtensionStep } from '../recorder/extension-record.js'

const ENDED: Record<ExtensionRecord['ended'], string> = {
  decided: 'decided',
  cap: 'the cap was reached; the verdict is what the longest run shows',
  time: 'no time was left to go on',
  interrupted: 'interrupted; the verdict is that of the samples taken'
}

/** "ran 2× its first length of 20,000 requests (cap 8×): decided", then one line per step. */
export function extensionLines (record: ExtensionRecord): string[] {
  const head = `ran ${record.reached}× its first length of ${record.first} (cap ${record.max}×): ${ENDED[record.ended]}`
  return [head, ...record.steps.map(stepText)]
}

/** "extended to 2×: inconclusive on gc.old_objects, about 45,000 more requests needed". */
function stepText (step: ExtensionStep): string {
  return `extended to ${step.to}× at ${step.requests.toLocaleString('en-US')} requests: ${step.reason}`
}
