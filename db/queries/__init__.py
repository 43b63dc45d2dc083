"""The query layer: bound parameters in, DataFrames or plain values out; no Dash here."""
