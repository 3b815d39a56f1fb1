// Package signatures is the table of vendor fingerprints — the block
// pages, headers and error texts of WAFs, CDNs, CMS security plugins,
// frameworks' CSRF checks and proxies — as data, each entry with the
// public source it was taken from, and the small matcher that applies the
// table to one exchange.
package signatures
