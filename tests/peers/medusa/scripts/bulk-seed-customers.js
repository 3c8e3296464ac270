// Merchant Desk test peer: bulk-create customers in-process (no HTTP) with Medusa's own
// createCustomersWorkflow - ~10k customers in ~3 s instead of ~60 s over HTTP. For benchmarks.
// usage: peer.sh exec DATABASE scripts/bulk-seed-customers.js [COUNT=10000] [START=0] [DOMAIN=bulk.example] [BATCH=1000]
// Emails: bulk<I>.<ascii first name>@<DOMAIN>; names, phones and companies are deterministic per
// index, and international (umlauts, accents, Cyrillic, Greek, CJK) to exercise search and sorting.
const { createCustomersWorkflow } = require("@medusajs/medusa/core-flows")

// [display first name, ascii slug used in the email]
const FIRST = [["Anna", "anna"], ["Björn", "bjoern"], ["Chloé", "chloe"], ["Dmitri", "dmitri"], ["Élodie", "elodie"],
  ["Fatima", "fatima"], ["Grete", "grete"], ["Håkon", "hakon"], ["Inés", "ines"], ["Jürgen", "juergen"],
  ["Kenji", "kenji"], ["Łukasz", "lukasz"], ["Mia", "mia"], ["Noah", "noah"], ["Olga", "olga"], ["Paul", "paul"],
  ["Zoë", "zoe"], ["Ренат", "renat"], ["Σοφία", "sofia"], ["美咲", "misaki"], ["Yusuf", "yusuf"], ["Şule", "sule"]]
const LAST = ["Müller", "Schmidt", "Ødegaard", "García", "Nowak", "Dvořák", "Fischer", "O'Brien", "Weber", "Ñúñez",
  "Kovačević", "Meyer", "Иванова", "Παπαδόπουλος", "山田", "Lefèvre", "Koch", "Yılmaz", "Krüger", "Smith"]
const COMP = [null, null, null, "Acme GmbH", "Globex AG", "Café Zürich SA", "Umbrella SE", "Hooli GmbH"]

exports.default = async function bulkSeedCustomers({ container, args }) {
  const count = parseInt(args[0] || "10000", 10)
  const start = parseInt(args[1] || "0", 10)
  const domain = args[2] || "bulk.example"
  const batch = parseInt(args[3] || "1000", 10)
  if (!(count >= 0 && start >= 0 && batch > 0)) throw new Error("usage: [COUNT] [START] [DOMAIN] [BATCH]")
  const logger = container.resolve("logger")
  const t0 = Date.now()
  for (let s = start; s < start + count; s += batch) {
    const customersData = []
    for (let i = s; i < Math.min(start + count, s + batch); i++) {
      const [first, slug] = FIRST[i % FIRST.length]
      customersData.push({
        email: `bulk${String(i).padStart(6, "0")}.${slug}@${domain}`,
        first_name: first,
        last_name: LAST[(i * 7) % LAST.length],
        phone: `+49${1500000000 + ((i * 7919) % 299999999)}`,
        company_name: COMP[i % COMP.length],
        metadata: { seed: i },
      })
    }
    await createCustomersWorkflow(container).run({ input: { customersData } })
  }
  logger.info(`[merchant-desk-peer] bulk-seeded ${count} customers in ${((Date.now() - t0) / 1000).toFixed(2)} s`)
}
