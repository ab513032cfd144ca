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
            Session(daysAgo: 22, hour: 14, minute: 15, model: "claude-sonnet-4-6", branch: "feat/webhook-retries", steps: [
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
            Session(daysAgo: 16, hour: 19, minute: 5, model: "claude-opus-4-7", branch: "main", steps: [
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

    // MARK: weather-app (Swift package + app)

    static func weatherApp() -> Project {
        let root = "/Users/demo/code/weather-app"
        func p(_ path: String) -> String { root + "/" + path }
        let client = """
            import Foundation

            public struct WeatherClient: Sendable {
                public var baseURL: URL
                public var session: URLSession = .shared

                public func fetchDaily(for location: Location) async throws -> [DailyForecast] {
                    let url = baseURL.appending(path: "forecast/daily").appending(queryItems: location.queryItems)
                    let (data, _) = try await session.data(from: url)
                    return try JSONDecoder.weather.decode([DailyForecast].self, from: data)
                }
            }
            """
        let store = """
            public actor ForecastStore {
                private var cache: [Location: (Date, [DailyForecast])] = [:]
                private let client: WeatherClient
                private let lifetime: TimeInterval = 15 * 60

                init(client: WeatherClient) { self.client = client }

                public func forecast(for location: Location) async throws -> [DailyForecast] {
                    if let (date, value) = cache[location], date.timeIntervalSinceNow > -lifetime { return value }
                    let value = try await client.fetchDaily(for: location)
                    cache[location] = (Date(), value)
                    return value
                }
            }
            """
        let testsOK = "Building for debugging...\n[6/6] Linking WeatherPackageTests.xctest\nBuild complete! (24.31s)\nTest Suite 'All tests' passed.\n\t Executed 17 tests, with 0 failures (0 unexpected) in 0.214 (0.221) seconds"
        return Project(cwd: root, sessions: [
            Session(daysAgo: 23, hour: 10, minute: 20, model: "claude-opus-4-7", branch: "main", steps: [
                .prompt("Add a ForecastStore to WeatherCore that caches forecasts per location for 15 minutes, so we stop hitting the API on every tab switch."),
                act("Let me look at the existing client first.", think: "An actor fits: several views ask concurrently and should share one cache.",
                    readFile(p("Sources/WeatherCore/WeatherClient.swift"), client)),
                act("I'll make the store an actor so concurrent views share one cache.", writeFile(p("Sources/WeatherCore/ForecastStore.swift"), store)),
                act(writeFile(p("Tests/WeatherCoreTests/ForecastStoreTests.swift"), "import XCTest\n@testable import WeatherCore\n\nfinal class ForecastStoreTests: XCTestCase {\n    func testSecondCallIsCached() throws {\n        let store = ForecastStore(client: .stub(counting: counter))\n        let first = store.forecast(for: .berlin)\n        let second = store.forecast(for: .berlin)\n        XCTAssertEqual(first, second)\n        XCTAssertEqual(counter.calls, 1)\n    }\n}\n")),
                act(bash("swift test --filter ForecastStoreTests", "Run the new store tests", "[3/5] Compiling WeatherCoreTests ForecastStoreTests.swift\n\(root)/Tests/WeatherCoreTests/ForecastStoreTests.swift:7:21: error: expression is 'async' but is not marked with 'await'\n        let first = store.forecast(for: .berlin)\n                    ^~~~~~~~~~~~~~~~~~~~~~~~~~~~\nerror: fatalError", seconds: 34, exitCode: 1)),
                act("The test calls the actor synchronously. Making it async.", think: "Actor methods need await from outside, and the test must be async throws.",
                    editFile(p("Tests/WeatherCoreTests/ForecastStoreTests.swift"), "    func testSecondCallIsCached() throws {\n        let store = ForecastStore(client: .stub(counting: counter))\n        let first = store.forecast(for: .berlin)\n        let second = store.forecast(for: .berlin)",
                             "    func testSecondCallIsCached() async throws {\n        let store = ForecastStore(client: .stub(counting: counter))\n        let first = try await store.forecast(for: .berlin)\n        let second = try await store.forecast(for: .berlin)")),
                act(bash("swift test --filter ForecastStoreTests", "Run the new store tests", testsOK, seconds: 29)),
                say("Added `ForecastStore`, an actor that keeps each location's forecast for 15 minutes and otherwise calls `WeatherClient.fetchDaily`. The first test run failed because the test called the actor without `await`; fixed, and the tests pass."),
                .title("forecast-cache"),
            ]),
            Session(daysAgo: 18, hour: 15, minute: 40, model: "claude-opus-4-7", branch: "feature/hourly-forecast", steps: [
                .prompt("Add an hourly forecast strip under the current conditions. Check how the daily view gets its data first so we stay consistent."),
                act("I'll have a subagent trace the daily data path while I look at the view layer.",
                    think: "Tracing call sites is a read-only job for a subagent.",
                    task("Trace daily forecast data flow",
                         "In \(root), trace how the daily forecast gets from WeatherClient to the screen: every caller of fetchDaily, the view model, caching, and error handling. Report file paths and the pattern to copy for an hourly forecast. Do not edit anything.",
                         [act(grep("fetchDaily|forecast\\(for:", p("Sources"), "Sources/WeatherCore/ForecastStore.swift:10:        let value = try await client.fetchDaily(for: location)\nSources/WeatherApp/DailyForecastModel.swift:18:            days = try await store.forecast(for: location)")),
                          act(readFile(p("Sources/WeatherApp/DailyForecastModel.swift"), "@MainActor @Observable\nfinal class DailyForecastModel {\n    var days: [DailyForecast] = []\n    var error: String?\n    let store: ForecastStore\n\n    init(store: ForecastStore) { self.store = store }\n\n    func load(_ location: Location) async {\n        do {\n            days = try await store.forecast(for: location)\n        } catch {\n            self.error = error.localizedDescription\n        }\n    }\n}"))],
                         report: "Daily data flows WeatherClient.fetchDaily → ForecastStore.forecast(for:) (actor, 15-minute cache) → DailyForecastModel (@MainActor @Observable, Sources/WeatherApp/DailyForecastModel.swift) → DailyForecastView, which calls model.load in .task(id: location). Errors become a user-facing string on the model. For hourly: add fetchHourly to WeatherClient, a second cache in ForecastStore, and an HourlyForecastModel following the same shape.")),
                act(editFile(p("Sources/WeatherCore/WeatherClient.swift"), "    public func fetchDaily(", "    public func fetchHourly(for location: Location) async throws -> [HourlyForecast] {\n        let url = baseURL.appending(path: \"forecast/hourly\").appending(queryItems: location.queryItems)\n        let (data, _) = try await session.data(from: url)\n        return try JSONDecoder.weather.decode([HourlyForecast].self, from: data)\n    }\n\n    public func fetchDaily(")),
                act(writeFile(p("Sources/WeatherApp/HourlyForecastView.swift"), "import SwiftUI\nimport WeatherCore\n\nstruct HourlyForecastView: View {\n    let hours: [HourlyForecast]\n\n    var body: some View {\n        ScrollView(.horizontal, showsIndicators: false) {\n            HStack(spacing: 16) {\n                ForEach(hours.prefix(12)) { hour in\n                    VStack(spacing: 6) {\n                        Text(hour.date, format: .dateTime.hour())\n                        Image(systemName: hour.symbolName)\n                        Text(hour.temperature, format: .measurement(width: .narrow))\n                    }\n                }\n            }\n            .padding(.horizontal)\n        }\n    }\n}\n")),
                act(editFile(p("Sources/WeatherApp/CurrentConditionsView.swift"), "            ConditionsHeader(current: model.current)\n", "            ConditionsHeader(current: model.current)\n            HourlyForecastView(hours: model.hours)\n")),
                act(bash("swift build", "Build the package", "Building for debugging...\n[14/14] Compiling WeatherApp HourlyForecastView.swift\nBuild complete! (15.08s)", seconds: 16)),
                say("Added `WeatherClient.fetchHourly`, an `HourlyForecastView` (12 hours, horizontal scroll) and placed it under the conditions header. It follows the daily path the subagent traced (client → store → model → view). Builds cleanly; the hourly cache in `ForecastStore` is still to do."),
            ]),
            Session(daysAgo: 12, hour: 8, minute: 55, model: "claude-sonnet-4-6", branch: "main", steps: [
                .prompt("Why does the app show Fahrenheit for some users in the UK? Just explain, don't change anything yet."),
                act(grep("UnitTemperature|usesMetricSystem|measurementSystem", p("Sources"), "Sources/WeatherCore/Units.swift:6:        locale.measurementSystem == .us ? .fahrenheit : .celsius")),
                act(readFile(p("Sources/WeatherCore/Units.swift"), "import Foundation\n\nextension UnitTemperature {\n    static func preferred(for locale: Locale) -> UnitTemperature {\n        // Metric everywhere except the US.\n        locale.measurementSystem == .us ? .fahrenheit : .celsius\n    }\n}")),
                say("`UnitTemperature.preferred(for:)` derives the unit from `Locale.measurementSystem`. UK users with English (US) as their phone language, or with the measurement system set to US in Settings, get `.us` and therefore Fahrenheit. iOS has a dedicated temperature preference (`Locale.current.measurementSystem` doesn't reflect it); reading the locale's `temperatureUnit` preference, or using `.measurement(usage: .weather)` formatting, would respect it.",
                    think: "measurementSystem is not the temperature preference; users with en_US language in the UK get US."),
                .prompt("ok, thanks"),
                say("You're welcome. Say the word when you want me to switch it to the temperature preference."),
            ]),
            Session(daysAgo: 6, hour: 13, minute: 10, model: "claude-opus-4-7", branch: "feature/widgets", bulk: 18_500, steps: [
                .prompt("Build a home screen widget: current temperature plus the next three hours, small and medium sizes."),
                act(readFile(p("Package.swift"), "// swift-tools-version:6.0\nimport PackageDescription\n\nlet package = Package(\n    name: \"WeatherPackage\",\n    platforms: [.iOS(.v17)],\n    products: [.library(name: \"WeatherCore\", targets: [\"WeatherCore\"])],\n    targets: [\n        .target(name: \"WeatherCore\"),\n        .testTarget(name: \"WeatherCoreTests\", dependencies: [\"WeatherCore\"]),\n    ]\n)")),
                act(readFile(p("Sources/WeatherCore/WeatherClient.swift"), client)),
                act(readFile(p("Sources/WeatherCore/ForecastStore.swift"), store)),
                act("Creating the widget and its timeline provider.", think: "The store and client are reusable from a widget extension; the provider only needs the next three hourly entries.", writeFile(p("Widgets/WeatherWidget.swift"), "import SwiftUI\nimport WidgetKit\n\n@main\nstruct WeatherWidget: Widget {\n    var body: some WidgetConfiguration {\n        StaticConfiguration(kind: \"WeatherWidget\", provider: Provider()) { entry in\n            WeatherWidgetView(entry: entry)\n        }\n        .supportedFamilies([.systemSmall, .systemMedium])\n    }\n}\n")),
                act(writeFile(p("Widgets/Provider.swift"), "import WidgetKit\nimport WeatherCore\n\nstruct Provider: TimelineProvider {\n    let store = ForecastStore(client: .live)\n\n    func getTimeline(in context: Context, completion: @escaping (Timeline<Entry>) -> Void) {\n        Task {\n            let hours = (try? await store.hourly(for: .current)) ?? []\n            let entries = [Entry(date: .now, hours: Array(hours.prefix(3)))]\n            let timeline = Timeline(entries: entries, policy: .after(.now.addingTimeInterval(60)))\n            completion(timeline)\n        }\n    }\n}\n")),
                act(bash("swift test", "Run the test suite", "\(root)/Widgets/Provider.swift:5:17: error: 'ForecastStore' initializer is inaccessible due to 'internal' protection level\n    let store = ForecastStore(client: .live)\n                ^\nerror: fatalError", seconds: 41, exitCode: 1)),
                act(editFile(p("Sources/WeatherCore/ForecastStore.swift"), "    init(client: WeatherClient) { self.client = client }", "    public init(client: WeatherClient) { self.client = client }")),
                act(bash("swift test", "Run the test suite", testsOK, seconds: 33)),
                .prompt("Looks good so far. For the medium size, reuse the look of the hourly strip in the app."),
                .compact("1. Request: a home screen widget showing the current temperature and the next three hours, small and medium families.\n2. Done so far: Widgets/WeatherWidget.swift (StaticConfiguration, small + medium) and Widgets/Provider.swift (TimelineProvider reading ForecastStore.hourly). ForecastStore.init made public so the widget target can create it. swift test passes (17 tests).\n3. Latest request: the medium layout should reuse the look of the app's hourly strip (three hourly columns next to the current temperature)."),
                act("Picking up with the medium layout.", think: "Per the summary, only the medium layout remains, styled like the hourly strip.",
                    readFile(p("Widgets/WeatherWidget.swift"), "struct WeatherWidgetView: View {\n    let entry: Entry\n    var body: some View {\n        Text(entry.hours.first?.temperature.formatted() ?? \"--\")\n    }\n}")),
                act(editFile(p("Widgets/WeatherWidget.swift"), "        Text(entry.hours.first?.temperature.formatted() ?? \"--\")", "        HStack {\n            Text(entry.hours.first?.temperature.formatted() ?? \"--\").font(.largeTitle)\n            if family == .systemMedium {\n                ForEach(entry.hours.dropFirst()) { HourColumn(hour: $0) }\n            }\n        }")),
                act(bash("swift build", "Build the package", "Building for debugging...\nBuild complete! (18.72s)", seconds: 20)),
                say("The widget is in place: small shows the current temperature, medium adds columns for the next three hours. `ForecastStore.init` is now public so the widget can use it; tests pass and the package builds. The provider currently asks for a refresh every minute, which is too often for a real device; worth tuning before release."),
            ]),
            Session(daysAgo: 0, hour: 0, minute: 0, model: "claude-sonnet-4-6", branch: "feature/widgets", steps: [
                .prompt("Testers say the widget drains the battery. I think the timeline refreshes way too often, can you check?"),
                act(grep("Timeline\\(|policy:", p("Widgets"), "Widgets/Provider.swift:11:            let timeline = Timeline(entries: entries, policy: .after(.now.addingTimeInterval(60)))")),
                act("The provider asks for a reload every 60 seconds. I'll produce one entry per 15 minutes and reload after the last one.",
                    think: "Forecasts change every 15 minutes at most; a one-minute reload policy wastes the widget budget and wakes the app constantly.",
                    editFile(p("Widgets/Provider.swift"), "            let entries = [Entry(date: .now, hours: Array(hours.prefix(3)))]\n            let timeline = Timeline(entries: entries, policy: .after(.now.addingTimeInterval(60)))",
                             "            let entries = (0..<4).map { step in\n                Entry(date: .now.addingTimeInterval(Double(step) * 900), hours: Array(hours.dropFirst(step / 4).prefix(3)))\n            }\n            let timeline = Timeline(entries: entries, policy: .atEnd)")),
                act(bash("swift test", "Run the test suite", testsOK, seconds: 31)),
                say("You were right: the timeline asked WidgetKit to reload every minute. It now provides four entries 15 minutes apart and reloads only after the last one (`.atEnd`), so about four fetches an hour instead of sixty. Tests pass."),
            ]),
        ])
    }

    // MARK: etl-pipeline (Python)

    static func etlPipeline() -> Project {
        let root = "/Users/demo/code/etl-pipeline"
        func p(_ path: String) -> String { root + "/" + path }
        let loader = "from etl.db import connect\n\nINSERT = \"\"\"\n    INSERT INTO orders (order_id, customer_id, total_cents, placed_at)\n    VALUES (%(order_id)s, %(customer_id)s, %(total_cents)s, %(placed_at)s)\n\"\"\"\n\n\ndef load_orders(rows):\n    with connect() as conn, conn.cursor() as cur:\n        cur.executemany(INSERT, rows)\n"
        return Project(cwd: root, sessions: [
            Session(daysAgo: 27, hour: 21, minute: 30, model: "claude-sonnet-4-5-20250929", branch: "main", steps: [
                .prompt("The nightly orders load crashed with a duplicate key error on orders_pkey. Can you make the loader safe to re-run?"),
                act("Let me reproduce it with the loader tests.", bash("python -m pytest tests/test_orders.py -q", "Run the orders loader tests", "..F.\n________________________ test_reload_same_day ________________________\nE   psycopg.errors.UniqueViolation: duplicate key value violates unique constraint \"orders_pkey\"\nE   DETAIL:  Key (order_id)=(100231) already exists.\n\ntests/test_orders.py:58: UniqueViolation\n1 failed, 3 passed in 2.31s", seconds: 4.2, exitCode: 1)),
                act(readFile(p("etl/load/orders.py"), loader)),
                act("It's a plain INSERT, so a second run of the same day collides. Switching to an upsert.",
                    think: "ON CONFLICT (order_id) DO UPDATE makes the load idempotent and picks up corrected totals.",
                    editFile(p("etl/load/orders.py"), "    VALUES (%(order_id)s, %(customer_id)s, %(total_cents)s, %(placed_at)s)\n", "    VALUES (%(order_id)s, %(customer_id)s, %(total_cents)s, %(placed_at)s)\n    ON CONFLICT (order_id) DO UPDATE\n        SET total_cents = EXCLUDED.total_cents, placed_at = EXCLUDED.placed_at\n")),
                act(bash("python -m pytest tests/test_orders.py -q", "Run the orders loader tests", "....\n4 passed in 2.08s", seconds: 3.9)),
                say("The loader used a plain `INSERT`, so re-running a day failed on `orders_pkey`. It now upserts on `order_id`, updating total and timestamp, which makes re-runs safe. All four loader tests pass, including `test_reload_same_day`."),
            ]),
            Session(daysAgo: 24, hour: 7, minute: 45, model: "claude-sonnet-4-6", branch: "main", steps: [
                .prompt("Add a --dry-run flag to the pipeline CLI: run extract and transform but skip loading."),
                act(readFile(p("etl/cli.py"), "import click\n\nfrom etl import steps\n\n\n@click.command()\n@click.option(\"--source\", required=True)\ndef run(source):\n    rows = steps.extract(source)\n    rows = steps.transform(source, rows)\n    steps.load(source, rows)\n")),
                act(editFile(p("etl/cli.py"), "@click.option(\"--source\", required=True)\ndef run(source):", "@click.option(\"--source\", required=True)\n@click.option(\"--dry-run\", is_flag=True, help=\"Extract and transform, but do not load.\")\ndef run(source, dry_run):")),
                act(editFile(p("etl/cli.py"), "    steps.load(source, rows)\n", "    if dry_run:\n        click.echo(f\"load: skipped (--dry-run), {len(rows)} rows ready\")\n        return\n    steps.load(source, rows)\n")),
                act(bash("python -m etl.cli --source orders --dry-run", "Try the dry run", "extract: orders (18,442 rows)\ntransform: orders (18,442 rows, 0 rejected)\nload: skipped (--dry-run), 18442 rows ready", seconds: 6.3)),
                say("`--dry-run` is in: extract and transform run as usual, loading is skipped and the CLI reports how many rows would have been loaded. Tried it on `orders` (18,442 rows)."),
            ]),
            Session(daysAgo: 19, hour: 17, minute: 20, model: "claude-opus-4-7", branch: "perf/chunked-reads", steps: [
                .prompt("Loading events.csv (about 4 GB) takes nine minutes and sometimes gets OOM-killed. Make the extract stream instead."),
                act(think: "Read the extractor to see how the CSV is loaded.",
                    readFile(p("etl/extract/events.py"), "import pandas as pd\n\n\ndef extract_events(path):\n    df = pd.read_csv(path, dtype=EVENT_DTYPES, parse_dates=[\"ts\"])\n    df = df[df.event_type.isin(KEEP)]\n    return df.to_dict(\"records\")\n")),
                act("Switching to chunked reads.", editMismatch(p("etl/extract/events.py"), "    df = pd.read_csv(path)\n", "    for chunk in pd.read_csv(path, chunksize=200_000):\n")),
                act("I didn't match the exact line; retrying with the real text.", think: "The call has dtype and parse_dates arguments; use the exact text and make the function a generator.",
                    editFile(p("etl/extract/events.py"), "    df = pd.read_csv(path, dtype=EVENT_DTYPES, parse_dates=[\"ts\"])\n    df = df[df.event_type.isin(KEEP)]\n    return df.to_dict(\"records\")\n",
                             "    chunks = pd.read_csv(path, dtype=EVENT_DTYPES, parse_dates=[\"ts\"], chunksize=200_000)\n    for chunk in chunks:\n        yield from chunk[chunk.event_type.isin(KEEP)].to_dict(\"records\")\n")),
                act(bash("python scripts/bench_extract.py data/sample_events.csv", "Benchmark the extract step", "rows read: 2,000,000\nrows kept: 1,412,907\nelapsed: 41.8s\npeak rss: 612 MB", seconds: 44)),
                say("`extract_events` is now a generator over 200k-row chunks, so memory stays flat. On the 2M-row sample: 41.8 s and 612 MB peak RSS (before: the whole file in memory). Callers that used `len()` on the result will need a list; `steps.transform` already iterates, so nothing else changed."),
            ]),
            Session(daysAgo: 13, hour: 12, minute: 5, model: "claude-sonnet-4-6", branch: "main", steps: [
                .prompt("Summarize what changed in the pipeline over the last few weeks, for the changelog."),
                act(bash("git log --oneline -8", "Show recent commits", "9c41e2a Stream events extract in chunks\n51d0b7f Add --dry-run to the pipeline CLI\n2e8f3c1 Make orders load idempotent (upsert)\n7aa90d4 Pin pandas to 2.2\ne13b5c8 Add rejected-rows report to transform", seconds: 0.2)),
                say("Recent changes:\n\n- Events extract streams in 200k-row chunks (no more OOM on large files)\n- `--dry-run` flag: extract and transform without loading\n- Orders load is idempotent (upsert on `order_id`), so re-runs are safe\n- Transform writes a rejected-rows report\n- pandas pinned to 2.2"),
                .prompt("Write that into CHANGELOG.md under Unreleased."),
                act(editFile(p("CHANGELOG.md"), "## Unreleased\n", "## Unreleased\n\n- Events extract streams in chunks; large files no longer run out of memory.\n- New `--dry-run` flag runs extract and transform without loading.\n- Orders load is idempotent (upsert on `order_id`).\n- Transform writes a rejected-rows report.\n- pandas pinned to 2.2.\n")),
                say("Added the five entries under **Unreleased** in `CHANGELOG.md`."),
            ]),
        ])
    }
}
