"""The DuckDB warehouse: schema (numbered migrations), loader, public views, research SQL, export."""
