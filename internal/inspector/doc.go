// Package inspector is the platform's own inspection engine (issue 7): it
// crawls one government site and scores it against the national
// indicators (RULES.md §3), the way `sitegroup inspect` and the
// InspectionRun Job run it.
//
// # Design
//
// Three stages, each its own package, so each is tested alone:
//
//   - crawl fetches: a shallowest-first frontier served by a bounded pool of
//     workers (--concurrency), a per-host rate limit (--rate, x/time/rate),
//     budgets of pages, depth, checked links and total time, a 15 s page
//     timeout (V1's), bounded retries with backoff for transient failures,
//     URL normalisation and de-duplication. Same-site pages are crawled;
//     images, attachments, external links and pages past the depth are only
//     checked (HEAD, then GET). --host-header maps the site's public domain
//     onto the --url address in the transport, so links and redirects to
//     http(s)://<domain>/ stay on the site (the in-cluster Job case). Bodies
//     are decoded (GB2312/GBK via x/net/html/charset) and streamed to a
//     visitor; nothing of a body is kept. Every connection goes through an
//     address guard (guard.go: loopback, link-local, the cluster's ranges
//     refused after resolution, the site's own address allowed), and a
//     page's redirects are followed within the site only (issue 16).
//   - extract reads one page with x/net/html: Parse builds the tree for the
//     pages whose structure matters (homepage, column lists and their 下一页
//     chain, consultation channels): navigation as columns, dated items in
//     li/tr/dd/div lists, pagers, messages (留言时间/回复时间/状态), the
//     identity footer, the search box and the 找错 entry; a tree is built of
//     a page's first 512 KiB, two at a time (issue 16). Scan reads every
//     other page (articles, the bulk of a site) with tdewolff/parse's
//     zero-allocation lexer: links, hidden links and the text V5 looks at,
//     several times cheaper. What CMSes put in script (TRS's createPageHTML
//     pager, Hanweb's jpage and datastore records), forwarding roots and
//     the article meta tags are read too (cms.go).
//   - scoring holds the versioned profile (profile-2019.yaml, embedded;
//     --profile replaces it): groups and caps, indicator points, early
//     warning thresholds, column kinds and keyword lists. Veto thresholds
//     are the national rules and stay in code (checks.go), cited by id.
//
// The collector (collect.go) is the crawl's visitor: it keeps a small
// summary per list page and bounded logs (messages, V5 findings), so memory
// follows the page budget, not the site's size. After the crawl, the checks
// (checks.go, one function per family, each table-tested at its threshold)
// turn the observation into vetoes, deduction findings and early warnings;
// the profile scores them: any veto fails with score 0 (nothing else is
// scored), otherwise 100 minus capped deductions, failing below 60.
//
// V1 here is this run's probes of the homepage (one before the crawl, the
// rest after it), reported as evidence, never a veto: the 7-day window of
// 20 probes a day is the controller's. A homepage that does not open is an
// unjudged report (findings.Unjudged), not an error: the command exits 0
// whenever the inspection ran.
//
// Dates are days in the platform's calendar (Asia/Shanghai); --now fixes
// today, so reports are reproducible (the golden tests rely on it).
package inspector
