"""The ETL: the only writer of the database."""
