// Merchant Desk test peer: bulk-create orders in-process (no HTTP) with Medusa's own Order module
// service, for benchmarks (200k orders in minutes instead of hours of draft-order round trips).
// usage: peer.sh exec DATABASE scripts/bulk-seed-orders.js [COUNT=200000] [BATCH=500] [SEED=1] [CUSTOMERS=0]
// The orders go to the customers already in the DB; CUSTOMERS > 0 first seeds that many with
// bulk-seed-customers.js in the same process (one app boot instead of two).
//
// What the 2.21.2 module code does with this (node_modules/@medusajs/order/dist/services/
// order-module-service.js):
// - createOrders(data[]) -> createOrders_: one decorateCartTotals + calculateOrderChange per order
//   for the summary totals, orderService_.create per order, then all line items in one
//   createOrderLineItemsBulk_; afterwards it re-lists the created orders with every relation.
//   `status`, `customer_id`, `email`, `currency_code`, `sales_channel_id`, `created_at` are plain
//   columns of the Order model and are taken as given.
// - cancel(ids) -> cancel_: sets status "canceled" and canceled_at (what cancelOrderWorkflow's
//   step calls once the workflow's checks pass).
// - addOrderTransactions(trx[]) -> updateOrderPaidRefundableAmount_: a positive amount adds to the
//   summary's paid_total, a negative one to refunded_total. The payment workflows record a capture
//   as {amount, reference: "capture"} (core-flows payment/workflows/capture-payment.js) and a
//   refund as {amount: -x, reference: "refund"} (refund-payment.js); we record the same rows
//   without a payment collection behind them (the desk reads the order's totals, not payments).
// Deterministic per SEED (mulberry32); order ids are the module's own ULIDs, so not reproducible.
const { Modules } = require("@medusajs/framework/utils")
const bulkSeedCustomers = require("./bulk-seed-customers").default

const PRODUCTS = [["Linen shirt", 49.9], ["Wool socks", 12.5], ["Canvas tote", 24], ["Rain jacket", 129],
  ["Espresso cups (2)", 18.9], ["Notebook A5", 7.95], ["Leather belt", 39], ["Sunglasses", 89],
  ["Trail shoes", 119.95], ["Beanie", 22], ["Water bottle", 19.5], ["Scarf", 34.9]]
// Mostly one currency, as a shop's orders are, with a tail of others.
const CURRENCIES = [["eur", 85, 1], ["usd", 9, 1.08], ["gbp", 4, 0.86], ["chf", 2, 0.95]]
const SPAN_MS = 3 * 365 * 86400000

function mulberry32(seed) {
  return function () {
    seed |= 0
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function weighted(rnd, table) {
  const sum = table.reduce((a, row) => a + row[1], 0)
  let roll = rnd() * sum
  for (const row of table) {
    roll -= row[1]
    if (roll < 0) return row
  }
  return table[table.length - 1]
}

const round2 = (x) => Math.round(x * 100) / 100

async function allCustomers(customerModule) {
  const out = []
  for (let skip = 0; ; skip += 10000) {
    const page = await customerModule.listCustomers({}, { select: ["id", "email"], order: { id: "ASC" }, skip, take: 10000 })
    out.push(...page)
    if (page.length < 10000) return out
  }
}

exports.default = async function bulkSeedOrders({ container, args }) {
  const count = parseInt(args[0] || "200000", 10)
  const batch = parseInt(args[1] || "500", 10)
  const seed = parseInt(args[2] || "1", 10)
  const newCustomers = parseInt(args[3] || "0", 10)
  if (!(count >= 0 && batch > 0 && newCustomers >= 0)) throw new Error("usage: [COUNT] [BATCH] [SEED] [CUSTOMERS]")
  if (newCustomers > 0) await bulkSeedCustomers({ container, args: [String(newCustomers)] })
  const logger = container.resolve("logger")
  const orderModule = container.resolve(Modules.ORDER)
  const customers = await allCustomers(container.resolve(Modules.CUSTOMER))
  if (!customers.length) throw new Error("no customers: run bulk-seed-customers.js first")
  const [channel] = await container.resolve(Modules.SALES_CHANNEL).listSalesChannels({}, { take: 1 })
  const rnd = mulberry32(seed)
  const now = Date.now()
  const t0 = Date.now()
  let made = 0, canceled = 0, refunded = 0, lines = 0
  while (made < count) {
    const data = []
    const plans = []
    for (let i = 0; i < batch && made + i < count; i++) {
      // Skewed: a few regulars order often, most customers a couple of times.
      const pick = rnd() < 0.2 ? Math.floor(rnd() * rnd() * customers.length) : Math.floor(rnd() * customers.length)
      const customer = customers[pick]
      const [currency, , rate] = weighted(rnd, CURRENCIES)
      const items = []
      const nItems = 1 + Math.floor(rnd() * rnd() * 5)
      for (let k = 0; k < nItems; k++) {
        const [title, eur] = PRODUCTS[Math.floor(rnd() * PRODUCTS.length)]
        items.push({ title, product_title: title, quantity: 1 + Math.floor(rnd() * rnd() * 3), unit_price: round2(eur * rate) })
      }
      lines += items.length
      const shipping = round2(4.9 * rate)
      const total = round2(items.reduce((a, it) => a + it.quantity * it.unit_price, shipping))
      const roll = rnd()
      const created = new Date(now - Math.floor(rnd() * SPAN_MS))
      data.push({
        customer_id: customer.id,
        email: customer.email,
        currency_code: currency,
        sales_channel_id: channel?.id,
        status: roll < 0.75 ? "completed" : "pending",
        items,
        shipping_methods: [{ name: "Standard", amount: shipping }],
        created_at: created,
        updated_at: created,
        metadata: { seed: made + i },
      })
      plans.push({ total, what: roll < 0.06 ? "cancel" : roll < 0.1 ? "refund" : null })
    }
    // createOrders_ (the public createOrders minus its re-read of every created order with all
    // relations, which is most of its cost); it runs in the module's own transaction.
    const orders = await orderModule.createOrders_(data)
    const toCancel = orders.filter((_, i) => plans[i].what === "cancel").map((o) => o.id)
    if (toCancel.length) await orderModule.cancel(toCancel)
    const trx = []
    orders.forEach((o, i) => {
      if (plans[i].what !== "refund") return
      const total = plans[i].total // no tax lines: items + shipping, as decorateCartTotals sums them
      const refund = rnd() < 0.5 ? total : round2(total * (0.1 + 0.5 * rnd()))
      trx.push({ order_id: o.id, amount: total, currency_code: data[i].currency_code, reference: "capture", reference_id: `bench_capture_${o.id}` })
      trx.push({ order_id: o.id, amount: -refund, currency_code: data[i].currency_code, reference: "refund", reference_id: `bench_refund_${o.id}` })
    })
    if (trx.length) await orderModule.addOrderTransactions(trx)
    made += orders.length
    canceled += toCancel.length
    refunded += trx.length / 2
    if (made % 20000 < batch) logger.info(`[merchant-desk-peer] ${made} orders (${((Date.now() - t0) / 1000).toFixed(1)} s)`)
  }
  logger.info(`[merchant-desk-peer] bulk-seeded ${made} orders (${lines} lines, ${canceled} canceled, ` +
    `${refunded} refunded) for ${customers.length} customers in ${((Date.now() - t0) / 1000).toFixed(2)} s`)
}
