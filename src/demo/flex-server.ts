/**
 * Flex, the timesheet/orders API that scenarios/flex.yml replays: a stand-in for a Silverlight
 * line-of-business back end, so that `memsiege run scenarios/flex.yml` runs anywhere memsiege is
 * installed. It decodes Silverlight-style requests (flex-request.ts) and exposes memsiege's Node
 * probe at /__memsiege/gc.
 *
 * One deliberate leak, there to show why memsiege rewrites requests the way the real client
 * sends them: /api/Reports/Sales memoizes each report by its parameters. Given in the query
 * string, the key is their text and the memo holds one entry per distinct report; given in a form
 * body (X-Method: GET), the key is the parsed parameters object, new on every request, so every
 * request adds a report that is never looked up again. Replayed as plain GETs, nothing leaks.
 *
 *   node dist/demo/flex-server.js --port 8000   (0 or absent picks a free port; prints the URL)
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { json, runWhenMain, serveDemo, type DemoServer } from './serve.js'
import { param, readFlexRequest, type FlexRequest } from './flex-request.js'

const REGIONS = ['North', 'South', 'East', 'West', 'Central', 'Coast', 'Mountain', 'Islands']
const CATEGORIES = ['Hardware', 'Software', 'Services', 'Training', 'Support']
const CUSTOMERS = Array.from({ length: 500 }, (_, i) => ({ id: i + 1, name: `Customer ${i + 1}`, city: REGIONS[i % REGIONS.length], creditLimit: 10_000 + 500 * (i % 40) }))

/** Module-level on purpose: the Sales memo is the leak (see above). */
const salesMemo = new Map<unknown, string>()
const sessions = new Set<string>()
const orders = new Map<number, { id: number; customerId: number; status: string; lines: unknown }>()
let nextOrder = 1001
const ORDERS_KEPT = 100

function page<T> (items: T[], request: FlexRequest): { total: number; items: T[] } {
  const size = Math.min(Number(param(request, 'pageSize') ?? 50) || 50, 200)
  const from = (Math.max(Number(param(request, 'page') ?? 1) || 1, 1) - 1) * size
  return { total: items.length, items: items.slice(from, from + size) }
}

/** One row per day, group and product category: a month by region is ~1,200 rows, ~100 KB of JSON. */
function salesReport (from: string, to: string, groupBy: string): string {
  const start = Date.parse(from) || 0
  const days = Math.min(Math.max(Math.round((Date.parse(to) - start) / 86_400_000) + 1, 1), 366) || 1
  const groups = groupBy === 'Category' ? CATEGORIES : REGIONS
  const rows = []
  for (let d = 0; d < days; d++) {
    const day = new Date(start + d * 86_400_000).toISOString().slice(0, 10)
    for (const [g, group] of groups.entries()) {
      for (const [c, category] of CATEGORIES.entries()) rows.push({ day, [groupBy]: group, category, orders: (d * 7 + g * 13 + c) % 50, revenue: ((d + 1) * (g + 3) * (c + 1) * 97.5).toFixed(2) })
    }
  }
  return JSON.stringify({ from, to, groupBy, rows })
}

function sales (request: FlexRequest): string {
  const from = param(request, 'from') ?? '2024-01-01'
  const to = param(request, 'to') ?? from
  const groupBy = param(request, 'groupBy') ?? 'Region'
  const key = request.form ?? request.query.toString()
  let report = salesMemo.get(key)
  if (report === undefined) {
    report = salesReport(from, to, groupBy)
    salesMemo.set(key, report)
  }
  return report
}

function route (request: FlexRequest, res: ServerResponse): void {
  const { verb, path } = request
  const id = Number(/\/(\d+)(?:\/|$)/.exec(path)?.[1])
  const at = `${verb} ${path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`
  switch (at) {
    case 'GET /clientaccesspolicy.xml':
      res.writeHead(200, { 'content-type': 'text/xml' })
      res.end('<?xml version="1.0" encoding="utf-8"?><access-policy><cross-domain-access><policy><allow-from http-request-headers="*"><domain uri="*"/></allow-from><grant-to><resource path="/" include-subpaths="true"/></grant-to></policy></cross-domain-access></access-policy>')
      return
    case 'GET /ClientBin/Flex.xap':
      res.writeHead(200, { 'content-type': 'application/x-silverlight-app' })
      res.end(Buffer.alloc(64 * 1024, 'PK'))
      return
    case 'GET /api/Ping':
      return json(res, 200, { ok: true })
    case 'POST /api/Session': {
      const session = randomUUID()
      sessions.add(session)
      return json(res, 200, { userName: (request.json as { userName?: string } | undefined)?.userName ?? 'anonymous' }, { 'set-cookie': `FlexSession=${session}; Path=/; HttpOnly` })
    }
    case 'DELETE /api/Session': {
      const session = /FlexSession=([\w-]+)/.exec(request.cookie ?? '')?.[1]
      if (session !== undefined) sessions.delete(session)
      return json(res, 200, { ok: true }, { 'set-cookie': 'FlexSession=; Path=/; Max-Age=0' })
    }
    case 'GET /api/Lookups/Countries':
      return json(res, 200, ['Australia', 'Canada', 'France', 'Germany', 'Japan', 'United Kingdom', 'United States'])
    case 'GET /api/Lookups/ProductCategories':
      return json(res, 200, CATEGORIES)
    case 'GET /api/Customers':
      return json(res, 200, page(CUSTOMERS, request))
    case 'GET /api/Customers/{id}':
    case 'PUT /api/Customers/{id}': {
      const customer = CUSTOMERS[id - 1]
      if (customer === undefined) return json(res, 404, { error: `no customer ${id}` })
      if (verb === 'PUT') Object.assign(customer, request.json, { id })
      return json(res, 200, customer)
    }
    case 'GET /api/Customers/{id}/Orders':
      return json(res, 200, page([...orders.values()].filter((o) => o.customerId === id), request))
    case 'POST /api/Orders': {
      const body = (request.json ?? {}) as { customerId?: number; lines?: unknown }
      const order = { id: nextOrder++, customerId: Number(body.customerId), status: 'Open', lines: body.lines ?? [] }
      orders.set(order.id, order)
      // A real back end has a database; this one keeps the latest orders, so that they don't leak.
      if (orders.size > ORDERS_KEPT) orders.delete(orders.keys().next().value!)
      return json(res, 201, order)
    }
    case 'GET /api/Orders': {
      const customerId = Number(param(request, 'customerId'))
      const status = param(request, 'status')
      return json(res, 200, [...orders.values()].filter((o) => o.customerId === customerId && (status === undefined || o.status === status)))
    }
    case 'DELETE /api/Orders/{id}': {
      // Idempotent, as DELETE is: every user of the list cancels the same order number.
      const order = orders.get(id)
      if (order !== undefined) order.status = 'Cancelled'
      return json(res, 200, { ok: true })
    }
    case 'GET /api/Reports/Sales': {
      const report = sales(request)
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(report) })
      res.end(report)
      return
    }
    case 'GET /api/Reports/TopProducts': {
      const top = Math.min(Number(param(request, 'top') ?? 10) || 10, 100)
      return json(res, 200, Array.from({ length: top }, (_, i) => ({ sku: `P-${100 + i}`, category: CATEGORIES[i % CATEGORIES.length], sold: 1000 - 37 * i })))
    }
    case 'GET /stats':
      return json(res, 200, { pid: process.pid, memoryUsage: process.memoryUsage(), salesMemo: salesMemo.size, sessions: sessions.size, orders: orders.size })
    default:
      return json(res, 404, { error: `no route for ${verb} ${path}` })
  }
}

function handle (req: IncomingMessage, res: ServerResponse): void {
  // A body that doesn't parse (or a route that throws) answers 400, never takes the app down.
  readFlexRequest(req).then((request) => route(request, res)).catch((err: Error) => {
    if (!res.headersSent) json(res, 400, { error: err.message })
    else res.destroy()
  })
}

/** Starts Flex on 127.0.0.1 (`port` 0 picks one). */
export function startFlexServer (port = 0, host = '127.0.0.1'): Promise<DemoServer> {
  return serveDemo(handle, port, host)
}

runWhenMain(import.meta.url, 'flex server', (port) => startFlexServer(port))
