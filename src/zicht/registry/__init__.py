"""The definitions registry: versioned, citable target-group definitions as files (registry/*.yaml).

`normalise` gives the canonical form and content hash, `rules` the semantic checks beyond the schema,
`lifecycle` the status transitions and versioning, `files` reading a registry tree and `check` the
whole-registry check behind `zicht registry check`.
"""
