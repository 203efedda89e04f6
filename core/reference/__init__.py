"""Reference data several apps rely on (business types, places under comprehensive
sanctions), kept as reviewed YAML files in ``core/reference/data/`` and checked whole when
loaded, so a bad edit fails loudly with the file and entry named."""
