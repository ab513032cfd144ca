import Foundation

// The demo's scripts: three made-up projects and what happened in them.
extension DemoHistory {
    static func projects() -> [Project] {
        [billingAPI(), weatherApp(), etlPipeline()]
    }

    // MARK: Script helpers

    static func act(_ tools: Tool...) -> Step { .response(thinking: nil, text: nil, tools: tools) }
    static func act(think: String, _ tools: Tool...) -> Step { .response(thinking: think, text: nil, tools: tools) }
    static func act(_ text: String, think: String? = nil, _ tools: Tool...) -> Step {
        .response(thinking: think, text: text, tools: tools)
    }

    static func say(_ text: String, think: String? = nil) -> Step {
        .response(thinking: think, text: text, tools: [])
    }

    static func readFile(_ path: String, _ body: String) -> Tool {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        let numbered = lines.enumerated().map { "\($0.offset + 1)\t\($0.element)" }.joined(separator: "\n")
        let file: JSON = ["filePath": .string(path), "content": .string(body), "numLines": .int(lines.count),
                          "startLine": 1, "totalLines": .int(lines.count)]
        return Tool(name: "Read", input: ["file_path": .string(path)], output: numbered,
                    result: ["type": "text", "file": file], seconds: 0.04)
    }

    static func readMissing(_ path: String, cwd: String) -> Tool {
        let message = "File does not exist. Note: your current working directory is \(cwd)."
        return Tool(name: "Read", input: ["file_path": .string(path)], output: message, isError: true,
                    result: .string("Error: " + message), seconds: 0.02)
    }

    static func editFile(_ path: String, _ old: String, _ new: String) -> Tool {
        let removed = old.split(separator: "\n", omittingEmptySubsequences: false).map { JSON.string("-" + $0) }
        let added = new.split(separator: "\n", omittingEmptySubsequences: false).map { JSON.string("+" + $0) }
        let start = 3 + old.utf8.count % 37
        let hunk: JSON = ["oldStart": .int(start), "oldLines": .int(removed.count), "newStart": .int(start),
                          "newLines": .int(added.count), "lines": .array(removed + added)]
        return Tool(name: "Edit", input: ["file_path": .string(path), "old_string": .string(old), "new_string": .string(new)],
                    output: "The file \(path) has been updated successfully.",
                    result: ["filePath": .string(path), "oldString": .string(old), "newString": .string(new),
                             "structuredPatch": [hunk], "userModified": false, "replaceAll": false],
                    seconds: 0.05)
    }

    static func editMismatch(_ path: String, _ old: String, _ new: String) -> Tool {
        let message = "String to replace not found in file.\nString: \(old)"
        return Tool(name: "Edit", input: ["file_path": .string(path), "old_string": .string(old), "new_string": .string(new)],
                    output: "<tool_use_error>\(message)</tool_use_error>", isError: true,
                    result: .string("Error: " + message), seconds: 0.02)
    }

    static func writeFile(_ path: String, _ body: String) -> Tool {
        Tool(name: "Write", input: ["file_path": .string(path), "content": .string(body)],
             output: "File created successfully at: \(path)",
             result: ["type": "create", "filePath": .string(path), "content": .string(body), "structuredPatch": [],
                      "originalFile": nil],
             seconds: 0.05)
    }

    static func bash(_ command: String, _ description: String, _ output: String, seconds: Double = 1.5,
                     exitCode: Int = 0) -> Tool {
        let input: JSON = ["command": .string(command), "description": .string(description)]
        if exitCode != 0 {
            let text = "Exit code \(exitCode)\n" + output
            return Tool(name: "Bash", input: input, output: text, isError: true, result: .string("Error: " + text),
                        seconds: seconds)
        }
        return Tool(name: "Bash", input: input, output: output,
                    result: ["stdout": .string(output), "stderr": "", "interrupted": false, "isImage": false,
                             "noOutputExpected": false],
                    seconds: seconds)
    }

    static func grep(_ pattern: String, _ path: String, _ output: String) -> Tool {
        let count = output.split(separator: "\n").count
        return Tool(name: "Grep", input: ["pattern": .string(pattern), "path": .string(path), "output_mode": "content", "-n": true],
                    output: output,
                    result: ["mode": "content", "numFiles": 0, "filenames": [], "content": .string(output), "numLines": .int(count)],
                    seconds: 0.3)
    }

    static func task(_ description: String, _ prompt: String, _ steps: [Step], report: String) -> Tool {
        Tool(name: "Task", input: ["description": .string(description), "prompt": .string(prompt), "subagent_type": "general-purpose"],
             output: report, result: nil, seconds: 0, agent: Agent(description: description, prompt: prompt, steps: steps, report: report))
    }

    // MARK: billing-api (TypeScript service)

    static func billingAPI() -> Project {
        let root = "/Users/demo/code/billing-api"
        func p(_ path: String) -> String { root + "/" + path }
        let totals = """
            import type { Invoice } from "./types";

            export interface Totals {
              subtotal: number;
              tax: number;
              total: number;
            }

            // All amounts are integer cents.
            export function computeTotals(invoice: Invoice): Totals {
              let subtotal = 0;
              let taxTotal = 0;
              for (const line of invoice.lines) {
                const amount = line.unitPrice * line.quantity;
                subtotal += amount;
                const tax = Math.round(amount * line.taxRate);
                taxTotal += tax;
              }
              return { subtotal, tax: taxTotal, total: subtotal + taxTotal };
            }
            """
        let vitestOK = " ✓ src/invoices/total.test.ts (6 tests) 12ms\n ✓ src/invoices/format.test.ts (3 tests) 3ms\n\n Test Files  2 passed (2)\n      Tests  9 passed (9)\n   Duration  1.18s"
        let stripeHandler = """
            import Stripe from "stripe";
            import { handlers } from "./handlers";
            import { config } from "../config";

            const stripe = new Stripe(config.stripeKey, { apiVersion: config.stripeApiVersion });

            export async function handleStripeWebhook(rawBody: Buffer, signature: string) {
              const event = stripe.webhooks.constructEvent(rawBody, signature, config.webhookSecret);
              const handler = handlers[event.type];
              if (!handler) return { status: 200, ignored: true };
              await handler(event);
              return { status: 200 };
            }
            """
        let convert = """
            import type { Currency, RateTable } from "./types";

            export function convert(amount: number, from: Currency, to: Currency, rates: RateTable): number {
              if (from === to) return amount;
              const inEur = amount / rates[from];
              return parseFloat((inEur * rates[to]).toFixed(2));
            }

            export function sum(amounts: number[]): number {
              return amounts.reduce((a, b) => a + b, 0);
            }
            """
        return Project(cwd: root, sessions: [
            Session(daysAgo: 25, hour: 9, minute: 40, model: "claude-sonnet-4-6", branch: "main", steps: [
                .prompt("Some EU invoices come out one cent higher than what Stripe charges. Support flagged INV-20931: three separate lines at 19.99 EUR with 19% VAT. Can you find out why?"),
                act("I'll look for where invoice amounts get rounded.",
                    think: "One cent off with VAT usually means rounding per line instead of once on the total. Find where tax is rounded.",
                    grep("Math\\.round|toFixed", p("src/invoices"), "src/invoices/total.ts:16:    const tax = Math.round(amount * line.taxRate);\nsrc/invoices/format.ts:9:  return (cents / 100).toFixed(2);")),
                act(readFile(p("src/invoices/total.ts"), totals)),
                act("Tax is rounded per line and then summed: 3 × round(379.81) = 1140, while rounding the sum gives 1139. I'll round once on the total, like Stripe Tax does.",
                    editFile(p("src/invoices/total.ts"), "    const tax = Math.round(amount * line.taxRate);\n    taxTotal += tax;\n  }\n  return { subtotal, tax: taxTotal, total: subtotal + taxTotal };",
                             "    taxTotal += amount * line.taxRate;\n  }\n  // Round once on the invoice, the way Stripe Tax does.\n  const tax = Math.round(taxTotal);\n  return { subtotal, tax, total: subtotal + tax };")),
                act(bash("npx vitest run src/invoices", "Run invoice tests", vitestOK, seconds: 3.2)),
                say("Found it. `computeTotals` rounded VAT on every line and then added the rounded values, so three lines of 1999 cents at 19% gave 1140 cents of tax; Stripe rounds once on the total (1139.43 → 1139). Tax is now accumulated unrounded and rounded once. The existing invoice tests still pass."),
                .prompt("Nice. Add a regression test with exactly that invoice."),
                act(writeFile(p("src/invoices/rounding.test.ts"), "import { describe, expect, it } from \"vitest\";\nimport { computeTotals } from \"./total\";\n\ndescribe(\"VAT rounding\", () => {\n  it(\"rounds tax once per invoice (INV-20931)\", () => {\n    const line = { unitPrice: 1999, quantity: 1, taxRate: 0.19 };\n    const totals = computeTotals({ lines: [line, line, line] } as any);\n    expect(totals.tax).toBe(1139);\n    expect(totals.total).toBe(7136);\n  });\n});\n")),
                act(bash("npx vitest run src/invoices", "Run invoice tests", vitestOK.replacingOccurrences(of: "Files  2 passed (2)", with: "Files  3 passed (3)").replacingOccurrences(of: "9 passed (9)", with: "10 passed (10)"), seconds: 3.0)),
                say("Added `src/invoices/rounding.test.ts` with INV-20931's three lines. It expects 1139 cents of tax (the old code gave 1140) and passes."),
            ]),
            Session(daysAgo: 20, hour: 14, minute: 15, model: "claude-sonnet-4-6", branch: "feat/webhook-retries", steps: [
                .prompt("Failed Stripe webhook deliveries are just lost today. I want retries with backoff. Start by figuring out how webhooks flow through the code."),
                act("I'll have a subagent map the current webhook path.",
                    think: "This needs a survey first: route, signature check, handlers, any persistence. A read-only subagent can do it.",
                    task("Map Stripe webhook handling",
                         "Find how Stripe webhooks are received and processed in \(root). Report the route, where the signature is verified, which handlers run for which event types, and whether anything is persisted or retried. Read-only: do not edit files.",
                         [act(grep("constructEvent|handleStripeWebhook", p("src"), "src/routes/webhooks.ts:14:    const result = await handleStripeWebhook(req.rawBody, sig);\nsrc/webhooks/stripe.ts:8:  const event = stripe.webhooks.constructEvent(rawBody, signature, config.webhookSecret);")),
                          act(readFile(p("src/webhooks/stripe.ts"), stripeHandler)),
                          act(grep("\"invoice\\.|\"customer\\.", p("src/webhooks/handlers.ts"), "4:  \"invoice.paid\": markInvoicePaid,\n5:  \"invoice.payment_failed\": flagPaymentFailed,\n6:  \"customer.subscription.deleted\": cancelSubscription,"))],
                         report: "Webhooks enter at POST /webhooks/stripe (src/routes/webhooks.ts), which passes the raw body to handleStripeWebhook in src/webhooks/stripe.ts. The signature is checked with stripe.webhooks.constructEvent. Handlers are a map in src/webhooks/handlers.ts covering invoice.paid, invoice.payment_failed and customer.subscription.deleted; unknown types are acknowledged and ignored. Nothing is persisted: if a handler throws, the route returns 500 and the event is only retried by Stripe's own schedule. There is no retry or dead-letter logic in the repo.")),
                say("Current flow: route → signature check → in-memory handler map, nothing stored. Proposal: write every verified event to a `webhook_outbox` table and acknowledge right away, then let a worker process the outbox with exponential backoff (30 s doubling, capped) and mark rows dead after N attempts. That decouples us from Stripe's retry schedule and gives us a place to replay from.",
                    think: "Acknowledge fast and process asynchronously from a table; simplest durable option given they already run Postgres."),
                .prompt("Go with the outbox table. Max 8 attempts."),
                act(writeFile(p("src/webhooks/outbox.ts"), "import { db } from \"../db\";\n\nexport const MAX_ATTEMPTS = 8;\n\nexport async function enqueue(eventId: string, type: string, payload: unknown) {\n  await db.query(\n    \"INSERT INTO webhook_outbox (event_id, type, payload) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING\",\n    [eventId, type, payload],\n  );\n}\n\nexport function nextAttemptDelay(attempt: number): number {\n  return Math.min(30_000 * 2 ** attempt, 6 * 60 * 60 * 1000);\n}\n")),
                act(editFile(p("src/webhooks/stripe.ts"), "  const handler = handlers[event.type];\n  if (!handler) return { status: 200, ignored: true };\n  await handler(event);\n  return { status: 200 };",
                             "  if (!handlers[event.type]) return { status: 200, ignored: true };\n  await enqueue(event.id, event.type, event);\n  return { status: 202 };")),
                act("Running the test suite.", bash("npm test", "Run the full test suite", " FAIL  test/webhooks/stripe.test.ts > stripe webhook > acknowledges invoice.paid\nError: relation \"webhook_outbox\" does not exist\n ❯ src/webhooks/outbox.ts:6:3\n\n Test Files  1 failed | 11 passed (12)\n      Tests  1 failed | 63 passed (64)", seconds: 9.5, exitCode: 1)),
                act("The test database helper doesn't create the new table. Adding it to the test schema.",
                    think: "Tests use a throwaway schema from test/helpers/db.ts, so the migration never ran there.",
                    editFile(p("test/helpers/db.ts"), "const schema = [createInvoices, createCustomers];", "const schema = [createInvoices, createCustomers, createWebhookOutbox];")),
                act(bash("npm test", "Run the full test suite", " Test Files  12 passed (12)\n      Tests  64 passed (64)\n   Duration  8.42s", seconds: 9.8)),
                say("Webhooks are now written to `webhook_outbox` (idempotent on the event id) and acknowledged with 202; `nextAttemptDelay` gives 30 s doubling up to 6 h, and `MAX_ATTEMPTS` is 8. One test failed at first because the test schema lacked the table; fixed in `test/helpers/db.ts`. All 64 tests pass. Next step would be the worker that drains the outbox."),
                .title("webhook-retries-outbox"),
            ]),
            Session(daysAgo: 15, hour: 19, minute: 5, model: "claude-opus-4-7", branch: "main", steps: [
                .prompt("Can you review src/fx/rates.ts and the conversion code for precision problems? We convert EUR/GBP/USD amounts for the monthly revenue report."),
                act(think: "Start with the file the user named.", readMissing(p("src/fx/rates.ts"), cwd: root)),
                act("That path doesn't exist; let me find the conversion code.",
                    grep("export function convert", p("src"), "src/currency/convert.ts:3:export function convert(amount: number, from: Currency, to: Currency, rates: RateTable): number {")),
                act(readFile(p("src/currency/convert.ts"), convert)),
                say("Review of `src/currency/convert.ts` (there is no `src/fx/rates.ts`):\n\n1. **Floats for money.** `convert` works on floating-point major units and rounds with `toFixed(2)`, so results drift and `toFixed` rounds binary approximations (1.005 → \"1.00\").\n2. **Double conversion through EUR.** GBP→USD goes via EUR and rounds once at the end, but the intermediate is unrounded floating point; use integer minor units and a single rounding step with an explicit mode.\n3. **`sum` adds already-rounded values**, so report totals differ from converting the total. Worth deciding which one finance expects.",
                    think: "Main issues: floating point, toFixed rounding, rounding order in sums."),
                .prompt("Fix the first two, leave the third for a separate PR."),
                act(editFile(p("src/currency/convert.ts"), "export function convert(amount: number, from: Currency, to: Currency, rates: RateTable): number {\n  if (from === to) return amount;\n  const inEur = amount / rates[from];\n  return parseFloat((inEur * rates[to]).toFixed(2));\n}",
                             "/** Converts integer minor units, rounding half-even once. */\nexport function convert(minor: bigint, from: Currency, to: Currency, rates: RateTable): bigint {\n  if (from === to) return minor;\n  return roundHalfEven(minor * rates.scaled[to], rates.scaled[from]);\n}")),
                act(editFile(p("src/currency/types.ts"), "export type RateTable = Record<Currency, number>;", "export interface RateTable {\n  /** Rates against EUR multiplied by 1e8, as integers. */\n  scaled: Record<Currency, bigint>;\n}")),
                act(bash("npx tsc --noEmit && npx vitest run src/currency", "Type-check and run currency tests", " ✓ src/currency/convert.test.ts (8 tests) 6ms\n\n Test Files  1 passed (1)\n      Tests  8 passed (8)", seconds: 6.4)),
                say("Done: `convert` now takes and returns integer minor units (`bigint`), rates are stored as integers scaled by 1e8, and rounding happens once, half-even. Type-check and the currency tests pass. The `sum` question is untouched."),
            ]),
            Session(daysAgo: 10, hour: 11, minute: 30, model: "claude-sonnet-4-6", branch: "chore/upgrade-stripe", steps: [
                .prompt("Upgrade the stripe package to v18 and fix whatever breaks."),
                act("Upgrading the package first.", bash("npm install stripe@18", "Upgrade the Stripe SDK", "\nchanged 1 package, and audited 412 packages in 3s\n\nfound 0 vulnerabilities", seconds: 4.1)),
                .queued("also bump STRIPE_API_VERSION in src/config.ts while you're at it"),
                act(bash("npx tsc --noEmit", "Type-check after the upgrade", "src/payments/refunds.ts(31,7): error TS2353: Object literal may only specify known properties, and 'charge' does not exist in type 'RefundCreateParams'.\nsrc/webhooks/stripe.ts(5,55): error TS2322: Type 'string' is not assignable to type 'LatestApiVersion'.", seconds: 7.2, exitCode: 2)),
                act("Two breaking changes. Refunds first.", think: "v18 dropped refunds by charge id; we need payment_intent.",
                    readFile(p("src/payments/refunds.ts"), "export async function refund(chargeId: string, paymentIntentId: string, amount?: number) {\n  return stripe.refunds.create({\n    charge: chargeId,\n    amount,\n  });\n}")),
                act(editFile(p("src/payments/refunds.ts"), "    charge: chargeId,", "    payment_intent: paymentIntentId,")),
                act(editFile(p("src/webhooks/stripe.ts"), "{ apiVersion: config.stripeApiVersion }", "{ apiVersion: config.stripeApiVersion as Stripe.LatestApiVersion }")),
                act(bash("npx tsc --noEmit && npm test", "Type-check and run tests", " Test Files  12 passed (12)\n      Tests  64 passed (64)", seconds: 12.6)),
                say("stripe is on v18. Fixed two compile errors: refunds are now created by payment intent (charge ids are no longer accepted) and the API version constant is typed for the new SDK. Type-check and all tests pass."),
                act(editFile(p("src/config.ts"), "stripeApiVersion: \"2025-03-31\",", "stripeApiVersion: \"2025-08-27\",")),
                say("Bumped `stripeApiVersion` in `src/config.ts`. Remember to update the webhook endpoint's API version in the Stripe dashboard too."),
            ]),
            Session(daysAgo: 4, hour: 16, minute: 50, model: "claude-sonnet-4-6", branch: "main", steps: [
                .prompt("Add a README section on running the billing worker locally (docker compose plus the stripe CLI for webhooks)."),
                act("Checking the scripts and compose file first.", readFile(p("package.json"), "{\n  \"name\": \"billing-api\",\n  \"scripts\": {\n    \"dev\": \"tsx watch src/server.ts\",\n    \"worker\": \"tsx src/worker.ts\",\n    \"test\": \"vitest run\"\n  }\n}")),
                .apiError("API Error: 500 {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}"),
                .prompt("continue"),
                act(readFile(p("docker-compose.yml"), "services:\n  postgres:\n    image: postgres:16\n    ports: [\"5432:5432\"]\n    environment:\n      POSTGRES_PASSWORD: dev\n")),
                act(editFile(p("README.md"), "## Deployment", "## Running locally\n\n1. `docker compose up -d postgres`\n2. `npm run dev` for the API and `npm run worker` for the outbox worker\n3. `stripe listen --forward-to localhost:3000/webhooks/stripe` and put the printed secret in `STRIPE_WEBHOOK_SECRET`\n\n## Deployment")),
                say("Added **Running locally** to the README: Postgres via docker compose, `npm run dev` and `npm run worker`, and `stripe listen` to forward webhooks with the signing secret it prints."),
            ]),
        ])
    }
}
