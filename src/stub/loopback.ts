/** Which addresses and host names stay on this machine: the stub refuses the others when asked to. */
import { BlockList, isIP } from 'node:net'

const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')

export function isLoopbackHost (hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || isLoopbackAddress(host)
}

/** 127.0.0.0/8 and ::1, IPv4-mapped forms (::ffff:7f00:1) included. */
export function isLoopbackAddress (address: string | undefined): boolean {
  const family = address === undefined ? 0 : isIP(address)
  return family !== 0 && LOOPBACK.check(address!, family === 4 ? 'ipv4' : 'ipv6')
}
