"""The demo store: a server emulating the shop backends the desk speaks to (Medusa 2, Chec,
Elastic Path) over one local SQLite shop. It is not part of the client core: inside `app`,
only the demo opener (`app.services.demo`) and the CLI's demo commands import it.

- `demostore.core`: the shared shop (database, schema, sample data, generator, rows, faults)
- `demostore.medusa`, `demostore.chec`, `demostore.elasticpath`: one package per dialect
"""
