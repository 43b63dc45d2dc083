"""The store: schema, engines and the read-side query layer."""
