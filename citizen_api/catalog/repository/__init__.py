"""Every catalog query: ``items`` (departments, items, versions, materials; imports and exports)
and ``index`` (what the search index reads: published rows, synonyms, the catalog revision)."""
